import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText } from "../ui/Feedback";
import { usePageTitle } from "../ui/usePageTitle";
import type { Audience } from "./audience";

/**
 * "Forgot password?" (ACC-1): asks for a reset link by email. The answer is the same whether the
 * address has an account or not, so the page says what happens if it does.
 */
export function ForgotPasswordPage({
  audience,
  next,
}: {
  audience: Audience;
  /** Where the person was going: the emailed link brings them back there after the reset. */
  next?: string | undefined;
}) {
  usePageTitle("Reset your password");
  const trpc = useTRPC();
  const form = useForm<{ email: string }>({ defaultValues: { email: "" } });
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ email }) =>
    request.mutate({ audience, email: email.trim(), ...(next ? { next } : {}) }),
  );
  const signIn = audience === "staff" ? "/staff/sign-in" : "/portal/sign-in";
  return (
    <main id="main" className="page page--narrow sign-in">
      <p className="brand">Clinic Chat</p>
      <h1 tabIndex={-1}>Reset your password</h1>
      {request.isSuccess ? (
        <p role="status">
          If an account signs in to {audience === "staff" ? "the staff app" : "the Patient Portal"} with{" "}
          <strong>{form.getValues("email").trim()}</strong>, we sent it a link to choose a new password. The
          link works once, for 30 minutes. Check your inbox, and your spam folder.
        </p>
      ) : (
        <form onSubmit={submit} noValidate className="form">
          <p>Enter the email address you sign in with. We will email you a link to choose a new password.</p>
          <div className="field">
            <label htmlFor="reset-email">Email</label>
            <input
              id="reset-email"
              type="email"
              autoComplete="username"
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={errors.email ? "reset-email-error" : undefined}
              {...form.register("email", { required: "Enter your email address." })}
            />
            <ErrorText id="reset-email-error">{errors.email?.message}</ErrorText>
          </div>
          <ErrorText>{request.isError ? errorMessage(request.error) : null}</ErrorText>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={request.isPending}>
              {request.isPending ? "Sending…" : "Email me a link"}
            </button>
          </div>
        </form>
      )}
      <p>
        <Link to={signIn} search={next ? { next } : {}}>
          Back to sign-in
        </Link>
      </p>
    </main>
  );
}
