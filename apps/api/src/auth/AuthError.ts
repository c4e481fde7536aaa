/** Every way sign-in and its neighbours refuse; the API's error table gives each its sentence. */
export const authErrorCodes = [
  "SIGN_IN_FAILED",
  "CODE_INVALID",
  "TOO_MANY_ATTEMPTS",
  "ACCOUNT_UNAVAILABLE",
  "PASSWORD_LENGTH",
  "INVITATION_INVALID",
  "INVITATION_NOT_SENT",
  "PATIENT_EMAIL_MISSING",
  "PORTAL_ALREADY_ACTIVE",
  "PORTAL_EMAIL_IN_USE",
  "TOTP_ALREADY_ON",
  "TOTP_NOT_STARTED",
  "RESET_LINK_INVALID",
  "CURRENT_PASSWORD_WRONG",
  "STAFF_EMAIL_IN_USE",
] as const;
/** One sign-in refusal code. */
export type AuthErrorCode = (typeof authErrorCodes)[number];

/**
 * A sign-in refusal. `details` are non-PHI facts for the sentence (minutes to wait, length
 * limits); the message is for developers and never reaches a client.
 */
export class AuthError extends Error {
  override readonly name = "AuthError";
  constructor(
    readonly code: AuthErrorCode,
    readonly details: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(code);
  }
}
