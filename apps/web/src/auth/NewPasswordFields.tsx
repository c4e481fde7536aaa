import type { RegisterOptions, UseFormRegisterReturn } from "react-hook-form";
import { ErrorText } from "../ui/Feedback";

/** The API's password rule (`passwordLength`), checked here first so the person learns it while typing. */
export const passwordRule = { min: 12, max: 128 } as const;

/** The new password's own check: required, within the API's length rule (counted in characters). */
export const newPasswordRules = {
  required: "Choose a password.",
  validate: (value: string) =>
    ([...value].length >= passwordRule.min && [...value].length <= passwordRule.max) ||
    `Choose a password of ${passwordRule.min} to ${passwordRule.max} characters.`,
} satisfies RegisterOptions;

/** What the repeated password is told when it is not the same as the new one. */
export const notTheSame = "The two passwords are not the same.";

interface NewPasswordFieldsProps {
  /** `register` of the new password, with {@link newPasswordRules}. */
  readonly password: UseFormRegisterReturn;
  /** `register` of the repeated password. */
  readonly confirm: UseFormRegisterReturn;
  readonly passwordError: string | undefined;
  readonly confirmError: string | undefined;
  readonly confirmLabel?: string;
}

/**
 * A new password and the same typed again, with the length rule shown before anything is typed:
 * one form for invitations, resets and password changes.
 */
export function NewPasswordFields(props: NewPasswordFieldsProps) {
  return (
    <>
      <div className="field">
        <label htmlFor="new-password">New password</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          aria-describedby="new-password-hint"
          aria-invalid={props.passwordError ? true : undefined}
          {...props.password}
        />
        <span id="new-password-hint" className="hint">
          At least {passwordRule.min} characters. A few unrelated words make a strong password.
        </span>
        <ErrorText>{props.passwordError}</ErrorText>
      </div>
      <div className="field">
        <label htmlFor="confirm-password">{props.confirmLabel ?? "Type it again"}</label>
        <input
          id="confirm-password"
          type="password"
          autoComplete="new-password"
          aria-invalid={props.confirmError ? true : undefined}
          {...props.confirm}
        />
        <ErrorText>{props.confirmError}</ErrorText>
      </div>
    </>
  );
}
