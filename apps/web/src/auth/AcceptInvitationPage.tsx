import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";
import { takeFragmentToken } from "./fragmentToken";
import { NewPasswordFields, newPasswordRules, notTheSame } from "./NewPasswordFields";

interface Fields {
  password: string;
  confirm: string;
}

/** The Patient Portal invitation: the patient chooses a password and is signed in (ELIG-1). */
export function AcceptInvitationPage() {
  usePageTitle("Welcome to the Patient Portal");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [token] = useState(() => takeFragmentToken());
  const form = useForm<Fields>({ defaultValues: { password: "", confirm: "" } });
  const accept = useMutation(
    trpc.auth.acceptInvitation.mutationOptions({
      onSuccess: async () => {
        queryClient.clear();
        await navigate({ to: "/portal/chat", replace: true });
      },
    }),
  );
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ password }) => accept.mutate({ token, password }));

  return (
    <main id="main" className="page page--narrow sign-in">
      <p className="brand">Clinic Chat</p>
      <h1 tabIndex={-1}>Welcome to the Patient Portal</h1>
      {token ? (
        <form onSubmit={submit} noValidate className="form">
          <p>Choose a password to finish setting up your account.</p>
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
            {accept.isPending ? "Setting up…" : "Set password and sign in"}
          </button>
        </form>
      ) : (
        <p>
          This page needs the link from your invitation email. Open the link from the email again, or ask your
          clinic to send a new invitation.
        </p>
      )}
    </main>
  );
}
