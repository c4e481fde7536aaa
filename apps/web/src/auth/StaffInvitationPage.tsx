import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";
import { takeFragmentToken } from "./fragmentToken";
import { NewPasswordFields, newPasswordRules, notTheSame } from "./NewPasswordFields";
import { SignInPage } from "./SignInPage";

interface Fields {
  name: string;
  password: string;
  confirm: string;
}

const roleWords = { admin: "an admin", practitioner: "a practitioner", staff: "front desk staff" } as const;

/**
 * A staff invitation (ADMIN-2): the invitee gives their name and chooses a password, then signs in
 * with them at once, which takes them through two-step enrolment (QR code, key, recovery codes).
 */
export function StaffInvitationPage() {
  usePageTitle("Join your clinic on Clinic Chat");
  const trpc = useTRPC();
  const [token] = useState(() => takeFragmentToken());
  const [accepted, setAccepted] = useState<{ email: string; password: string } | null>(null);
  const preview = useMutation(trpc.auth.staffInvitation.mutationOptions());
  const accept = useMutation(trpc.auth.acceptStaffInvitation.mutationOptions());
  const form = useForm<Fields>({ defaultValues: { name: "", password: "", confirm: "" } });
  // Once: each look at the link counts as an attempt (ACC-3).
  const looked = useRef(false);
  useEffect(() => {
    if (!token || looked.current) return;
    looked.current = true;
    preview.mutate({ token });
  }, [token, preview.mutate]);

  if (accepted) return <SignInPage audience="staff" start={accepted} />;

  const { errors } = form.formState;
  const submit = form.handleSubmit(({ name, password }) =>
    accept.mutate(
      { token, name: name.trim(), password },
      { onSuccess: ({ email }) => setAccepted({ email, password }) },
    ),
  );
  const invitation = preview.data;
  return (
    <main id="main" className="page page--narrow sign-in">
      <p className="brand">Clinic Chat</p>
      <h1 tabIndex={-1}>{invitation ? `Join ${invitation.clinicName}` : "Join your clinic"}</h1>
      {!token ? (
        <p>
          This page needs the link from your invitation email. Open the link from the email again, or ask your
          clinic's admin to send a new invitation.
        </p>
      ) : preview.isError ? (
        <ErrorText>{errorMessage(preview.error)}</ErrorText>
      ) : !invitation ? (
        <p role="status">Checking your invitation…</p>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <p>
            {invitation.clinicName} invited <strong>{invitation.email}</strong> to Clinic Chat as{" "}
            {roleWords[invitation.role]}. Tell us your name and choose a password; then you set up two-step
            sign-in.
          </p>
          <div className="field">
            <label htmlFor="invitee-name">Your name</label>
            <input
              id="invitee-name"
              autoComplete="name"
              aria-invalid={errors.name ? true : undefined}
              {...form.register("name", {
                validate: (value) =>
                  value.trim().length > 0 || "Enter your name as patients and colleagues see it.",
              })}
            />
            <ErrorText>{errors.name?.message}</ErrorText>
          </div>
          <NewPasswordFields
            password={form.register("password", newPasswordRules)}
            confirm={form.register("confirm", {
              validate: (value, all) => value === all.password || notTheSame,
            })}
            passwordError={errors.password?.message}
            confirmError={errors.confirm?.message}
          />
          <ErrorText>{accept.isError ? errorMessage(accept.error) : null}</ErrorText>
          <button type="submit" className="button button--primary" disabled={accept.isPending}>
            {accept.isPending ? "Setting up…" : "Set password and continue"}
          </button>
        </form>
      )}
    </main>
  );
}
