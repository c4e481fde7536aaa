import type { DomainErrorRow } from "../domainErrorTable";
import { count } from "../errorWords";
import type { authErrorCodes } from "./AuthError";

const minutes = (value: unknown) => {
  const n = typeof value === "number" && value > 0 ? Math.ceil(value) : 15;
  return n === 1 ? "1 minute" : `${n} minutes`;
};

/**
 * Sign-in's refusals (SEC-1): the transport code and the sentence of each, as domainErrorTable.ts has
 * them for the domain's. Sign-in failures never say whether the email exists:
 * a wrong email and a wrong password read alike.
 */
export const authErrorTable = {
  SIGN_IN_FAILED: {
    code: "UNAUTHORIZED",
    sentence: () => "The email or password isn't right. Check them and try again.",
  },
  CODE_INVALID: {
    code: "UNAUTHORIZED",
    sentence: () =>
      "That code isn't right. Enter the current code from your authenticator app, or one of your recovery codes.",
  },
  TOO_MANY_ATTEMPTS: {
    code: "TOO_MANY_REQUESTS",
    sentence: (details) => `Too many sign-in attempts. Try again in ${minutes(details.retryAfterMinutes)}.`,
  },
  ACCOUNT_UNAVAILABLE: {
    code: "FORBIDDEN",
    sentence: () => "This account can't sign in right now. Contact your clinic.",
  },
  PASSWORD_LENGTH: {
    code: "BAD_REQUEST",
    sentence: (details) =>
      `Choose a password of ${count(details.min, 12)} to ${count(details.max, 128)} characters.`,
  },
  INVITATION_INVALID: {
    code: "NOT_FOUND",
    sentence: () =>
      "This invitation link has expired or was already used. Ask your clinic to send you a new one.",
  },
  INVITATION_NOT_SENT: {
    code: "SERVICE_UNAVAILABLE",
    sentence: () => "We couldn't send the invitation email just now. Try again in a few minutes.",
  },
  PATIENT_EMAIL_MISSING: {
    code: "PRECONDITION_FAILED",
    sentence: () => "Add the patient's email address before inviting them to the Patient Portal.",
  },
  PORTAL_ALREADY_ACTIVE: {
    code: "CONFLICT",
    sentence: () => "This patient already has an active Patient Portal account.",
  },
  STAFF_EMAIL_IN_USE: {
    code: "CONFLICT",
    sentence: () => "A member of this clinic's team already signs in with this email address.",
  },
  PORTAL_EMAIL_IN_USE: {
    code: "CONFLICT",
    sentence: () =>
      "Another patient of this clinic already signs in to the Patient Portal with this email address. Each portal account needs its own address.",
  },
  TOTP_ALREADY_ON: {
    code: "CONFLICT",
    sentence: () => "Two-step sign-in is already on for this account.",
  },
  TOTP_NOT_STARTED: {
    code: "PRECONDITION_FAILED",
    sentence: () => "Start setting up two-step sign-in first, then enter the code from your app.",
  },
  RESET_LINK_INVALID: {
    code: "NOT_FOUND",
    sentence: () =>
      "This password reset link has expired or was already used. Ask for a new one from the sign-in page.",
  },
  CURRENT_PASSWORD_WRONG: {
    code: "BAD_REQUEST",
    sentence: () => "Your current password isn't right. Check it and try again.",
  },
} as const satisfies { readonly [K in (typeof authErrorCodes)[number]]: DomainErrorRow };
