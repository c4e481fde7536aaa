/** The two apps of one build: each has its own sign-in and its own route tree. */
export type Audience = "staff" | "patient";

/** Where each app's pages live. */
export const appBase: Readonly<Record<Audience, "/staff" | "/portal">> = {
  staff: "/staff",
  patient: "/portal",
};

/** Why someone lands on the sign-in page without asking to. */
export type SignInReason = "idle" | "ended" | "signedOut" | "passwordReset";

/** The notice the sign-in page shows for each reason. */
export const signInNotices: Readonly<Record<SignInReason, string>> = {
  idle: "You were signed out because there was no activity for a while. Sign in again to continue.",
  ended: "Your session has ended. Sign in again to continue.",
  signedOut: "You are signed out.",
  passwordReset: "Your password is changed. Sign in with your new password.",
};

/** Reads the `reason` search parameter of the sign-in pages; anything else is dropped. */
export function parseSignInSearch(search: Record<string, unknown>): { reason?: SignInReason } {
  const reason = search.reason;
  return reason === "idle" || reason === "ended" || reason === "signedOut" || reason === "passwordReset"
    ? { reason }
    : {};
}
