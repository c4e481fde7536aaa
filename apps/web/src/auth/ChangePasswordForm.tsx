import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, StatusText } from "../ui/Feedback";
import { NewPasswordFields, newPasswordRules, notTheSame } from "./NewPasswordFields";

interface Fields {
  currentPassword: string;
  newPassword: string;
  repeatPassword: string;
}

/**
 * ACC-2: change password, the current one required. Every other session of the account ends;
 * this browser stays signed in. The passwords live in the form's memory only.
 */
export function ChangePasswordForm() {
  const trpc = useTRPC();
  const form = useForm<Fields>({
    defaultValues: { currentPassword: "", newPassword: "", repeatPassword: "" },
  });
  const change = useMutation(trpc.auth.changePassword.mutationOptions({ onSuccess: () => form.reset() }));
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ currentPassword, newPassword }) =>
    change.mutate({ currentPassword, newPassword }),
  );
  return (
    <section className="card" aria-labelledby="change-password">
      <h2 id="change-password">Change password</h2>
      <form className="form" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.currentPassword ? true : undefined}
            {...form.register("currentPassword", { required: "Enter your current password." })}
          />
          <ErrorText>{errors.currentPassword?.message}</ErrorText>
        </div>
        <NewPasswordFields
          password={form.register("newPassword", newPasswordRules)}
          confirm={form.register("repeatPassword", {
            validate: (value, all) => value === all.newPassword || notTheSame,
          })}
          passwordError={errors.newPassword?.message}
          confirmError={errors.repeatPassword?.message}
          confirmLabel="New password again"
        />
        <ErrorText>{change.isError ? errorMessage(change.error) : null}</ErrorText>
        {change.isSuccess ? (
          <StatusText>
            Your password is changed.{" "}
            {change.data.sessionsEnded > 0
              ? "You were signed out everywhere else."
              : "You stay signed in here."}
          </StatusText>
        ) : null}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={change.isPending}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
