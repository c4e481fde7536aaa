import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ChangePasswordForm } from "../auth/ChangePasswordForm";
import { useSession } from "../auth/session";
import { TotpKey } from "../auth/TotpKey";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";

/**
 * The patient's account: change password (ACC-2) and optional two-step sign-in (SEC-1: patients
 * may turn TOTP on). The key
 * and the recovery codes are shown once and kept nowhere in the browser.
 */
export function PortalAccountPage() {
  usePageTitle("Account");
  const me = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[] | null>(null);
  const form = useForm<{ code: string }>({ defaultValues: { code: "" } });
  const start = useMutation(trpc.auth.startTotpEnrolment.mutationOptions());
  const confirm = useMutation(
    trpc.auth.confirmTotpEnrolment.mutationOptions({
      onSuccess: ({ recoveryCodes: codes }) => {
        setRecoveryCodes(codes);
        start.reset();
        form.reset();
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      },
    }),
  );
  const { errors } = form.formState;
  return (
    <div className="page page--narrow">
      <h1 tabIndex={-1}>Account</h1>
      <p className="page__lede">
        {me.name} · {me.clinic.name}
      </p>
      <ChangePasswordForm />
      <section className="card" aria-labelledby="two-step">
        <h2 id="two-step">Two-step sign-in</h2>
        {recoveryCodes ? (
          <>
            <p>
              Two-step sign-in is on. Keep these recovery codes somewhere safe: each signs you in once if you
              lose your phone. They are not shown again.
            </p>
            <ul className="recovery-codes">
              {recoveryCodes.map((code) => (
                <li key={code}>
                  <code>{code}</code>
                </li>
              ))}
            </ul>
            <button type="button" className="button" onClick={() => setRecoveryCodes(null)}>
              Done
            </button>
          </>
        ) : me.totpEnabled ? (
          <p>On: you sign in with your password and a code from your authenticator app.</p>
        ) : start.data ? (
          <form
            className="form"
            noValidate
            onSubmit={form.handleSubmit(({ code }) => confirm.mutate({ code: code.trim() }))}
          >
            <TotpKey secret={start.data.secret} uri={start.data.uri} audience="patient" />
            <div className="field">
              <label htmlFor="totp-code">Code from your authenticator app</label>
              <input
                id="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                aria-invalid={errors.code ? true : undefined}
                {...form.register("code", {
                  required: "Enter the 6-digit code.",
                  pattern: { value: /^\s*\d{6}\s*$/, message: "Enter the 6 digits the app shows." },
                })}
              />
              <ErrorText>{errors.code?.message}</ErrorText>
            </div>
            <ErrorText>{confirm.isError ? errorMessage(confirm.error) : null}</ErrorText>
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={confirm.isPending}>
                Turn on two-step sign-in
              </button>
              <button type="button" className="button" onClick={() => start.reset()}>
                Cancel
              </button>
            </div>
          </form>
        ) : (
          <>
            <p>
              Off. Add a code from an authenticator app to your password, so nobody can sign in with your
              password alone.
            </p>
            <button
              type="button"
              className="button button--primary"
              onClick={() => start.mutate({})}
              disabled={start.isPending}
            >
              Set up two-step sign-in
            </button>
            <ErrorText>{start.isError ? errorMessage(start.error) : null}</ErrorText>
          </>
        )}
      </section>
    </div>
  );
}
