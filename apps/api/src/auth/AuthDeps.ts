import type { Mailer } from "@clinic-chat/adapters";
import type { AuthStore, Clock } from "@clinic-chat/domain";
import type { SessionCookie } from "./cookies";
import type { Passwords } from "./passwords";
import type { SignInLimiter } from "./rateLimit";

/** Fixed rules of sign-in, in one place. */
export interface AuthSettings {
  /** SEC-2: a session ends this long after sign-in, however active. */
  readonly absoluteLifetimeMs: number;
  /**
   * SEC-2: idle minutes when a clinic has no setting of its own. Every stored clinic has one (the
   * column is required), so the session check (migration 0006) reads the clinic's own.
   */
  readonly defaultIdleMinutes: number;
  /** How long a Patient Portal invitation link works. */
  readonly invitationLifetimeMs: number;
  /**
   * ACC-4: how long a staff member's TOTP enrolment stays pending. Until it is confirmed or this
   * runs out, another sign-in with the password cannot replace (or see) its secret.
   */
  readonly totpEnrolmentLifetimeMs: number;
  /** The portal's address; invitation links point below it. */
  readonly portalUrl: string;
  /** The staff app's address; staff invitation (ADMIN-2) and password reset links point below it. */
  readonly staffUrl: string;
  /** ACC-1: how long a password reset link works. */
  readonly passwordResetLifetimeMs: number;
  /** Shown in authenticator apps. */
  readonly totpIssuer: string;
}

/** The defaults of {@link AuthSettings} (without the apps' addresses). */
export const defaultAuthSettings = {
  absoluteLifetimeMs: 12 * 60 * 60_000,
  defaultIdleMinutes: 15,
  invitationLifetimeMs: 7 * 24 * 60 * 60_000,
  totpEnrolmentLifetimeMs: 10 * 60_000,
  passwordResetLifetimeMs: 30 * 60_000,
  totpIssuer: "Clinic Chat",
} as const satisfies Omit<AuthSettings, "portalUrl" | "staffUrl">;

/** What the sign-in flows need. */
export interface AuthDeps {
  readonly store: AuthStore;
  readonly clock: Clock;
  readonly passwords: Passwords;
  readonly limiter: SignInLimiter;
  readonly mailer: Mailer;
  readonly cookie: SessionCookie;
  readonly settings: AuthSettings;
}
