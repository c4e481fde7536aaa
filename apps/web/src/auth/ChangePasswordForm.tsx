import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import { ErrorText, StatusText } from "../ui/Feedback";
import { passwordRule } from "./AcceptInvitationPage";

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
        <div className="field">
          <label htmlFor="new-password">New password</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            aria-describedby="new-password-hint"
            aria-invalid={errors.newPassword ? true : undefined}
            {...form.register("newPassword", {
              required: "Choose a new password.",
              validate: (value) =>
                ([...value].length >= passwordRule.min && [...value].length <= passwordRule.max) ||
                `Choose a password of ${passwordRule.min} to ${passwordRule.max} characters.`,
            })}
          />
          <p className="hint" id="new-password-hint">
            At least {passwordRule.min} characters. A few words you can remember work well.
          </p>
          <ErrorText>{errors.newPassword?.message}</ErrorText>
        </div>
        <div className="field">
          <label htmlFor="repeat-password">New password again</label>
          <input
            id="repeat-password"
            type="password"
            autoComplete="new-password"
            aria-invalid={errors.repeatPassword ? true : undefined}
            {...form.register("repeatPassword", {
              validate: (value, fields) => value === fields.newPassword || "The two new passwords differ.",
            })}
          />
          <ErrorText>{errors.repeatPassword?.message}</ErrorText>
        </div>
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
