import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";
import type { Audience } from "./audience";
import { forgetFragmentToken, takeFragmentToken } from "./fragmentToken";
import { NewPasswordFields, newPasswordRules, notTheSame } from "./NewPasswordFields";

interface Fields {
  password: string;
  confirm: string;
}

/**
 * The page a password reset email links to (ACC-1): the person chooses a new password, every
 * session of the account ends, and they sign in again (staff with their second factor).
 */
export function ResetPasswordPage({
  audience,
  next,
}: {
  audience: Audience;
  /** Where the person was going when they asked for the link: sign-in opens it afterwards. */
  next?: string | undefined;
}) {
  usePageTitle("Choose a new password");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [token] = useState(() => takeFragmentToken(true));
  const form = useForm<Fields>({ defaultValues: { password: "", confirm: "" } });
  const signIn = audience === "staff" ? "/staff/sign-in" : "/portal/sign-in";
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: async () => {
        forgetFragmentToken();
        queryClient.clear();
        await navigate({
          to: signIn,
          search: { reason: "passwordReset", ...(next ? { next } : {}) },
          replace: true,
        });
      },
    }),
  );
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ password }) => reset.mutate({ token, password }));
  const forgot = audience === "staff" ? "/staff/forgot-password" : "/portal/forgot-password";

  return (
    <main id="main" className="page page--narrow sign-in">
      <p className="brand">Clinic Chat</p>
      <h1 tabIndex={-1}>Choose a new password</h1>
      {token ? (
        <form onSubmit={submit} noValidate className="form">
          <p>Choosing a new password signs you out on every device.</p>
          <NewPasswordFields
            password={form.register("password", newPasswordRules)}
            confirm={form.register("confirm", {
              validate: (value, all) => value === all.password || notTheSame,
            })}
            passwordError={errors.password?.message}
            confirmError={errors.confirm?.message}
          />
          <ErrorText>{reset.isError ? errorMessage(reset.error) : null}</ErrorText>
          <button type="submit" className="button button--primary" disabled={reset.isPending}>
            {reset.isPending ? "Saving…" : "Set new password"}
          </button>
        </form>
      ) : (
        <p>This page needs the link from your password reset email. Open the link from the email again.</p>
      )}
      <p>
        <Link to={forgot} search={next ? { next } : {}}>
          Ask for a new link
        </Link>
      </p>
    </main>
  );
}
