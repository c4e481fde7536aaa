import type { AuditLog } from "../audit/AuditLog";
import type { EventLog } from "../chat/ports";
import type { ClinicStore } from "../clinic/ClinicStore";
import type { Directory } from "../people/Directory";
import type { PersonRef, StaffRole } from "../people/people";
import type { StaffInvitationLookup, TeamStore } from "../team/TeamStore";

/**
 * A SHA-256 digest (32 bytes). Session and invitation tokens, recovery codes and rate-limit keys
 * are stored only as digests; the API hashes, the store never sees a token.
 */
export type Sha256 = Uint8Array;

/** One account an email may belong to, as the pre-clinic look-up returns it: ids and the hash only. */
export interface SignInCandidate {
  readonly clinicId: string;
  readonly person: PersonRef;
  readonly passwordHash: string;
}

/** A live session as the pre-clinic look-up returns it (revoked sessions are not returned). */
export interface SessionLookup {
  readonly clinicId: string;
  readonly person: PersonRef;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

/** A request's session once {@link AuthStore.resolveSession} has checked it: who, and in which clinic. */
export interface ResolvedSession {
  readonly clinicId: string;
  readonly person: PersonRef;
  /** The staff member's role; null for patients. */
  readonly staffRole: StaffRole | null;
}

/** How {@link AuthStore.resolveSession} treats the idle timer. */
export interface ResolveSessionOptions {
  /** False for checks the person did not cause (a live stream re-checking): never slide the timer. */
  readonly touch: boolean;
  /**
   * Slide `last_seen_at` only once the session has been idle this long (or a tenth of the
   * clinic's idle timeout when that is shorter), so most requests write nothing.
   */
  readonly maxTouchIntervalMs: number;
}

/** One rate-limit key (a digest naming nobody) and how many counted attempts it holds at most. */
export interface AttemptKey {
  readonly key: Sha256;
  readonly limit: number;
}

/** What {@link AuthStore.countAttempt} answered. */
export type CountedAttempt =
  /** Counted under every key: the ids take it back should it prove right. */
  | { readonly counted: true; readonly ids: readonly string[] }
  /** Not counted: a key holds its limit; the oldest of its latest `limit` attempts, the latest such time over the keys. */
  | { readonly counted: false; readonly oldestCounted: Date };

/** An unused invitation as the pre-clinic look-up returns it. */
export interface InvitationLookup {
  readonly clinicId: string;
  readonly patientId: string;
  readonly expiresAt: Date;
}

/** A person's stored sign-in, read inside their clinic. */
export interface StoredCredentials {
  readonly person: PersonRef;
  readonly loginEmail: string;
  readonly passwordHash: string;
  /** Base32; present while enrolment is pending and once TOTP is on. */
  readonly totpSecret: string | null;
  /** When the pending secret was issued (null when none is pending or its start is unknown). */
  readonly totpStartedAt: Date | null;
  readonly totpEnabled: boolean;
  readonly recoveryCodesLeft: number;
}

/** Sign-in records of the current clinic (SEC-1). */
export interface CredentialStore {
  get(person: PersonRef): Promise<StoredCredentials | null>;
  /** Sets the person's login email and password hash, creating the credential when missing. */
  setPassword(person: PersonRef, loginEmail: string, passwordHash: string, at: Date): Promise<void>;
  /** True when another person of this kind in this clinic already signs in with `loginEmail`. */
  emailTaken(person: PersonRef, loginEmail: string): Promise<boolean>;
  /**
   * Keeps a new TOTP secret pending confirmation from `at`, in one statement. False when TOTP is
   * already on (or no credential), or when another secret is pending since later than
   * `keepPendingSince` (ACC-4: a pending enrolment is not replaced); null replaces any.
   */
  startTotp(person: PersonRef, secret: string, at: Date, keepPendingSince: Date | null): Promise<boolean>;
  /**
   * Turns TOTP on with the pending `secret` (the one the code was checked against), the time step
   * of that code and the recovery codes' digests; false when it was already on, or when that
   * secret is no longer the pending one.
   */
  enableTotp(
    person: PersonRef,
    secret: string,
    step: number,
    recoveryCodeHashes: readonly string[],
  ): Promise<boolean>;
  /** Accepts a TOTP time step once: false when that step or a later one was already used. */
  acceptTotpStep(person: PersonRef, step: number): Promise<boolean>;
  /** Uses up one recovery code by its digest; false when it is not (or no longer) one of theirs. */
  useRecoveryCode(person: PersonRef, codeHash: string): Promise<boolean>;
  /**
   * ADMIN-2: turns the second factor off and forgets its secret, pending enrolment and recovery
   * codes, so the person enrols again at their next sign-in; false when there is no credential.
   */
  resetSecondFactor(person: PersonRef): Promise<boolean>;
}

/** A new session. */
export interface NewSession {
  readonly tokenHash: Sha256;
  readonly person: PersonRef;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Sessions of the current clinic (SEC-2). */
export interface SessionStore {
  create(session: NewSession): Promise<void>;
  /** Slides the session's idle timer. */
  touch(tokenHash: Sha256, at: Date): Promise<void>;
  /** Ends one session; true when it was live. */
  revoke(tokenHash: Sha256, at: Date): Promise<boolean>;
  /**
   * Ends every live session of a person (not revoked, not past its absolute expiry) but the one
   * with the digest `except`, when given (ACC-2 keeps the browser that changed the password);
   * how many were ended.
   */
  revokeAll(person: PersonRef, at: Date, except?: Sha256): Promise<number>;
  /**
   * Gives each of the person's unrevoked sessions the request's session check at `at` without
   * sliding it (SEC-2, ELIG-6): those that have ended (idle, past their absolute expiry, the person
   * unable to act) are ended and audited exactly as a request's check ends them (SEC-3), once.
   */
  endExpired(person: PersonRef, at: Date): Promise<void>;
  /** Deletes the person's sessions that ended (revoked or past their absolute expiry) before `before`. */
  prune(person: PersonRef, before: Date): Promise<void>;
}

/** A new portal invitation. */
export interface NewInvitation {
  readonly tokenHash: Sha256;
  readonly patientId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Patient Portal invitations of the current clinic (ELIG-1). */
export interface InvitationStore {
  /** Stores the invitation; the patient's earlier unused invitations stop working. */
  create(invitation: NewInvitation): Promise<void>;
  /** Marks the invitation used; false when it was used already, expired or unknown in this clinic. */
  use(tokenHash: Sha256, at: Date): Promise<boolean>;
}

/** A new password reset link (ACC-1). */
export interface NewPasswordReset {
  readonly tokenHash: Sha256;
  readonly person: PersonRef;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** An unused password reset link as the pre-clinic look-up returns it. */
export interface PasswordResetLookup {
  readonly clinicId: string;
  readonly person: PersonRef;
  readonly expiresAt: Date;
}

/** Password reset links of the current clinic (ACC-1). */
export interface PasswordResetStore {
  /** Stores the link; the person's earlier unused links stop working. */
  create(reset: NewPasswordReset): Promise<void>;
  /** Marks the link used; false when it was used already, expired or unknown in this clinic. */
  use(tokenHash: Sha256, at: Date): Promise<boolean>;
}

/** What sign-in reads and writes inside one clinic, in one transaction. */
export interface ClinicAuthStores {
  readonly clinics: ClinicStore;
  readonly directory: Directory;
  readonly audit: AuditLog;
  readonly credentials: CredentialStore;
  readonly sessions: SessionStore;
  readonly invitations: InvitationStore;
  readonly passwordResets: PasswordResetStore;
  readonly team: TeamStore;
  /** The clinic's event log: a team change is announced to the member's live streams (ELIG-6). */
  readonly events: EventLog;
}

/**
 * Storage of sign-in. Three look-ups happen before the clinic is known and go through narrow
 * SECURITY DEFINER functions; everything else runs in {@link AuthStore.run}, bound to one clinic
 * under row-level security like the domain's unit of work.
 */
export interface AuthStore {
  /** The accounts of this kind that sign in with `loginEmail` (normalised), in any clinic (at most 10). */
  signInCandidates(kind: PersonRef["kind"], loginEmail: string): Promise<SignInCandidate[]>;
  /** The live session with this token digest, or null. */
  sessionByTokenHash(tokenHash: Sha256): Promise<SessionLookup | null>;
  /**
   * A request's session check in one statement (SEC-2, ELIG-6): the live session with this token
   * digest, unless it is past its absolute expiry (null), or idle for its clinic's timeout, or its
   * person is gone, deactivated staff or a patient whose portal account is not active (then it is
   * revoked at `at`, for good, and null). Otherwise its idle timer slides to `at` as `options`
   * say, and the session is returned.
   */
  resolveSession(
    tokenHash: Sha256,
    at: Date,
    options: ResolveSessionOptions,
  ): Promise<ResolvedSession | null>;
  /**
   * Many session checks in one statement (SEC-2, ELIG-6): for each digest, in order, what
   * {@link AuthStore.resolveSession} answers for it at `at` with `options`, with the same
   * revocations and the same sliding of the idle timer. Duplicates are checked once each, in
   * order (the second sees what the first wrote). An empty list answers `[]` without a query.
   */
  resolveSessions(
    tokenHashes: readonly Sha256[],
    at: Date,
    options: ResolveSessionOptions,
  ): Promise<(ResolvedSession | null)[]>;
  /**
   * Many peeks in one statement (SEC-2, ELIG-6): for each digest, in order, what
   * {@link AuthStore.resolveSession} answers for it at `at` with `touch: false` (null where it
   * answers null, with the same revocations of idle and deactivated sessions); never slides
   * `last_seen_at`. Duplicates answer alike. An empty list answers `[]` without a query.
   */
  peekSessions(
    tokenHashes: readonly Sha256[],
    at: Date,
    options: Pick<ResolveSessionOptions, "maxTouchIntervalMs">,
  ): Promise<(ResolvedSession | null)[]>;
  /** The unused invitation with this token digest, or null. */
  invitationByTokenHash(tokenHash: Sha256): Promise<InvitationLookup | null>;
  /** The unused password reset link with this token digest, or null (ACC-1). */
  passwordResetByTokenHash(tokenHash: Sha256): Promise<PasswordResetLookup | null>;
  /** The unused, unrevoked staff invitation with this token digest, or null (ADMIN-2). */
  staffInvitationByTokenHash(tokenHash: Sha256): Promise<StaffInvitationLookup | null>;
  /**
   * ACC-3: counts one attempt at `at` under every key, atomically with the check of the limits:
   * when every key holds fewer than its limit of attempts after `since`, one is recorded under
   * each; otherwise nothing is. Concurrent calls for a key are taken one after another, so a burst
   * never gets more than the limit counted. Attempts from before `since` are forgotten a few at a time.
   */
  countAttempt(keys: readonly AttemptKey[], at: Date, since: Date): Promise<CountedAttempt>;
  /** Takes back counted attempts by their ids (they proved right: no failure). */
  uncountAttempt(ids: readonly string[]): Promise<void>;
  /** Runs `work` in one transaction bound to `clinicId`. */
  run<T>(clinicId: string, work: (stores: ClinicAuthStores) => Promise<T>): Promise<T>;
}
