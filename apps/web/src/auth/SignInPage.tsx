import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import type { SignInOutcome } from "../rpc/types";
import { ErrorText } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";
import { type Audience, type SignInReason, signInNotices } from "./audience";
import { RecoveryCodes } from "./RecoveryCodes";
import { TotpKey } from "./TotpKey";

interface Fields {
  email: string;
  password: string;
  code: string;
  clinicId: string;
}

type Step =
  | { kind: "password" }
  | { kind: "code" }
  | { kind: "enrol"; secret: string; uri: string }
  | { kind: "chooseClinic"; clinics: readonly { id: string; name: string }[] }
  | { kind: "recoveryCodes"; codes: readonly string[] };

const titles: Readonly<Record<Audience, string>> = {
  staff: "Staff sign-in",
  patient: "Patient Portal sign-in",
};

/**
 * Sign-in for either app (SEC-1): email and password, then what the server asks for next: the
 * TOTP code, TOTP enrolment on a staff member's first sign-in (with the recovery codes shown
 * once), or the clinic when the same account opens several. The password stays in the form's
 * memory between steps and nowhere else.
 */
export function SignInPage({
  audience,
  reason,
  next,
  start,
}: {
  audience: Audience;
  reason?: SignInReason | undefined;
  /** The page of this app the person was going to (checked by the route): opened after signing in. */
  next?: string | undefined;
  /** Email and password just chosen (an accepted staff invitation): signs in with them at once. */
  start?: { readonly email: string; readonly password: string } | undefined;
}) {
  usePageTitle(titles[audience]);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step>({ kind: "password" });
  const form = useForm<Fields>({
    defaultValues: { email: start?.email ?? "", password: start?.password ?? "", code: "", clinicId: "" },
  });
  const home = audience === "staff" ? "/staff/chat" : "/portal/chat";

  const enter = async () => {
    // Whoever was signed in before in this browser leaves nothing to the next person.
    queryClient.clear();
    form.reset();
    // A checked path of this app with its own query, so it goes in whole, as an href.
    await (next ? navigate({ href: next, replace: true }) : navigate({ to: home, replace: true }));
  };

  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: (outcome: SignInOutcome) => {
        form.setValue("code", "");
        switch (outcome.status) {
          case "signedIn":
            if (outcome.recoveryCodes && outcome.recoveryCodes.length > 0)
              setStep({ kind: "recoveryCodes", codes: outcome.recoveryCodes });
            else void enter();
            return;
          case "codeRequired":
            setStep({ kind: "code" });
            return;
          case "totpEnrolmentRequired":
            setStep({ kind: "enrol", secret: outcome.secret, uri: outcome.uri });
            return;
          case "chooseClinic":
            setStep({ kind: "chooseClinic", clinics: outcome.clinics });
        }
      },
    }),
  );

  // Once only, even when effects run twice: a second sign-in would find the enrolment pending (ACC-4).
  const started = useRef(false);
  useEffect(() => {
    if (!start || started.current) return;
    started.current = true;
    signIn.mutate({ audience, email: start.email, password: start.password });
  }, [start, audience, signIn.mutate]);

  const submit = form.handleSubmit((fields) => {
    signIn.mutate({
      audience,
      email: fields.email.trim(),
      password: fields.password,
      ...(fields.code.trim() ? { code: fields.code.trim() } : {}),
      ...(fields.clinicId ? { clinicId: fields.clinicId } : {}),
    });
  });

  if (step.kind === "recoveryCodes") return <RecoveryCodes codes={step.codes} onDone={() => void enter()} />;

  const { errors } = form.formState;
  const asksForCode = step.kind === "code" || step.kind === "enrol";
  return (
    <main id="main" className="page page--narrow sign-in">
      <p className="brand">Clinic Chat</p>
      <h1 tabIndex={-1}>{titles[audience]}</h1>
      {reason ? <p className="notice">{signInNotices[reason]}</p> : null}
      <form onSubmit={submit} noValidate className="form">
        <div className="field" hidden={step.kind !== "password"}>
          <label htmlFor="email">Email</label>
          <input
            id="email"
            type="email"
            autoComplete="username"
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={errors.email ? "email-error" : undefined}
            {...form.register("email", { required: "Enter your email address." })}
          />
          <ErrorText id="email-error">{errors.email?.message}</ErrorText>
        </div>
        <div className="field" hidden={step.kind !== "password"}>
          <label htmlFor="password">Password</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
            {...form.register("password", { required: "Enter your password." })}
          />
          <ErrorText id="password-error">{errors.password?.message}</ErrorText>
          <Link
            to={audience === "staff" ? "/staff/forgot-password" : "/portal/forgot-password"}
            search={next ? { next } : {}}
          >
            Forgot password?
          </Link>
        </div>

        {step.kind === "enrol" ? <TotpKey secret={step.secret} uri={step.uri} audience={audience} /> : null}

        {asksForCode ? (
          <div className="field">
            <label htmlFor="code">
              {step.kind === "enrol" ? "Code from your authenticator app" : "Authentication code"}
            </label>
            <input
              id="code"
              inputMode={step.kind === "enrol" ? "numeric" : "text"}
              autoComplete="one-time-code"
              // biome-ignore lint/a11y/noAutofocus: the one field of this step; focus follows the step.
              autoFocus
              aria-describedby="code-hint"
              aria-invalid={errors.code ? true : undefined}
              {...form.register("code", { required: "Enter the code." })}
            />
            <span id="code-hint" className="hint">
              {step.kind === "enrol"
                ? "Enter the 6-digit code the app shows for Clinic Chat."
                : "Enter the 6-digit code from your authenticator app, or one of your recovery codes."}
            </span>
            <ErrorText>{errors.code?.message}</ErrorText>
          </div>
        ) : null}

        {step.kind === "chooseClinic" ? (
          <fieldset className="field">
            <legend>Which clinic do you want to sign in to?</legend>
            {step.clinics.map((clinic) => (
              <label key={clinic.id} className="choice">
                <input type="radio" value={clinic.id} {...form.register("clinicId", { required: true })} />
                {clinic.name}
              </label>
            ))}
          </fieldset>
        ) : null}

        <ErrorText>{signIn.isError ? errorMessage(signIn.error) : null}</ErrorText>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={signIn.isPending}>
            {signIn.isPending ? "Signing in…" : step.kind === "password" ? "Sign in" : "Continue"}
          </button>
          {step.kind !== "password" ? (
            <button
              type="button"
              className="button"
              onClick={() => {
                form.reset({ ...form.getValues(), code: "", clinicId: "" });
                signIn.reset();
                setStep({ kind: "password" });
              }}
            >
              Start over
            </button>
          ) : null}
        </div>
      </form>
    </main>
  );
}
