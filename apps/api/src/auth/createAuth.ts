import type { Mailer } from "@clinic-chat/adapters";
import type {
  Actor,
  AuthStore,
  Clock,
  PersonRef,
  StaffInvitation,
  StaffRole,
  TeamChange,
  TeamMember,
} from "@clinic-chat/domain";
import type { Config } from "../config";
import { type AuthDeps, type AuthSettings, defaultAuthSettings } from "./AuthDeps";
import {
  changePassword,
  confirmTotpEnrolment,
  describeMe,
  type Me,
  signOut,
  signOutEverywhere,
  startTotpEnrolment,
} from "./account";
import { type SessionCookie, sessionCookie } from "./cookies";
import { normaliseEmail } from "./emails";
import { acceptInvitation, invitePatient } from "./invitations";
import { type ResetAudience, requestPasswordReset, resetPassword } from "./passwordRecovery";
import { createPasswords, type PasswordHashing } from "./passwords";
import { createSignInLimiter, defaultSignInLimits, type SignInLimits } from "./rateLimit";
import type { Session } from "./session";
import { type CookieSessionResolver, createSessionResolver } from "./sessionResolver";
import { type RequestMeta, type SignInInput, type SignInOutcome, signIn } from "./signIn";
import {
  acceptStaffInvitation,
  inviteStaff,
  previewStaffInvitation,
  resendStaffInvitation,
  revokeStaffInvitation,
  type StaffInvitationPreview,
} from "./staffInvitations";
import { changeTeamMember, listTeam, resetSecondFactor } from "./team";

/** What the routers call. Tokens go in and out only to become or to read the cookie. */
export interface AuthService {
  readonly cookie: SessionCookie;
  signIn(input: SignInInput, meta: RequestMeta): Promise<SignInOutcome>;
  signOut(session: Session | null, token: string | null, meta: RequestMeta): Promise<void>;
  signOutEverywhere(session: Session, meta: RequestMeta): Promise<number>;
  me(session: Session, token: string | null): Promise<Me>;
  startTotpEnrolment(session: Session): Promise<{ secret: string; uri: string }>;
  confirmTotpEnrolment(
    session: Session,
    code: string,
    meta: RequestMeta,
  ): Promise<{ recoveryCodes: string[] }>;
  invitePatient(actor: Actor, input: { patientId: string }): Promise<{ expiresAt: Date }>;
  acceptInvitation(input: { token: string; password: string }, meta: RequestMeta): Promise<{ token: string }>;
  /** ACC-1: answers at once; `delivered` settles once the link is stored and sent (or was not, for nobody). */
  requestPasswordReset(
    input: { audience: ResetAudience; email: string; next?: string | undefined },
    meta: RequestMeta,
  ): Promise<{ delivered: Promise<void> }>;
  resetPassword(
    input: { token: string; password: string },
    meta: RequestMeta,
  ): Promise<{ audience: ResetAudience }>;
  changePassword(
    session: Session,
    token: string | null,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<{ sessionsEnded: number }>;
  /** ADMIN-2 (ADMIN-1 with a null actor: the operator command). */
  inviteStaff(
    actor: Actor | null,
    clinicId: string,
    input: { email: string; role: StaffRole },
  ): Promise<StaffInvitation>;
  resendStaffInvitation(actor: Actor, input: { invitationId: string }): Promise<{ expiresAt: Date }>;
  revokeStaffInvitation(actor: Actor, input: { invitationId: string }): Promise<void>;
  previewStaffInvitation(input: { token: string }, meta: RequestMeta): Promise<StaffInvitationPreview>;
  acceptStaffInvitation(
    input: { token: string; name: string; password: string },
    meta: RequestMeta,
  ): Promise<{ email: string }>;
  listTeam(actor: Actor): Promise<{ members: TeamMember[]; invitations: StaffInvitation[] }>;
  changeTeamMember(actor: Actor, input: { staffId: string; change: TeamChange }): Promise<void>;
  resetSecondFactor(actor: Actor, input: { staffId: string }): Promise<void>;
}

/** For seeds and operator scripts: gives a person a password, and TOTP with a known secret. */
export interface CredentialProvisioning {
  provision(input: {
    clinicId: string;
    person: PersonRef;
    email: string;
    password: string;
    /** Base32 TOTP secret to turn on at once (demo data); recovery codes are not issued. */
    totpSecret?: string;
  }): Promise<void>;
}

/** What {@link createAuth} needs from the composition root. */
export interface CreateAuthOptions {
  /** Sign-in's storage: `createPostgresAuthStore(appDb)`. */
  readonly store: AuthStore;
  readonly clock: Clock;
  /** Sends portal invitations. */
  readonly mailer: Mailer;
  readonly config: Pick<Config, "publicUrl" | "nodeEnv">;
  /** Where the Patient Portal lives; default `<PUBLIC_URL origin>/portal`. */
  readonly portalUrl?: string;
  /** Where the staff app lives; default `<PUBLIC_URL origin>/staff`. */
  readonly staffUrl?: string;
  /** argon2id cost; tests lower it, production keeps the default. */
  readonly passwordHashing?: PasswordHashing;
  readonly limits?: SignInLimits;
  readonly settings?: Partial<Omit<AuthSettings, "portalUrl" | "staffUrl">>;
}

/** Sign-in, assembled: the session resolver for the HTTP server and the service for the routers. */
export interface Auth {
  readonly sessionResolver: CookieSessionResolver;
  readonly service: AuthService;
  readonly credentials: CredentialProvisioning;
}

/**
 * Cookies are Secure, and `__Host-` prefixed, whenever the app is served over HTTPS and always in
 * production (SEC-7); plain HTTP is only for local development and tests.
 */
export function secureCookies(config: Pick<Config, "publicUrl" | "nodeEnv">): boolean {
  return config.nodeEnv === "production" || config.publicUrl.startsWith("https://");
}

/** Builds sign-in (SEC-1, SEC-2, ELIG-1, ELIG-6) over its store, clock and mailer. */
export function createAuth(options: CreateAuthOptions): Auth {
  const origin = new URL(options.config.publicUrl).origin;
  const passwords = createPasswords(options.passwordHashing);
  const deps: AuthDeps = {
    store: options.store,
    clock: options.clock,
    passwords,
    limiter: createSignInLimiter(options.store, options.clock, options.limits ?? defaultSignInLimits),
    mailer: options.mailer,
    cookie: sessionCookie({ secure: secureCookies(options.config) }),
    settings: {
      ...defaultAuthSettings,
      ...options.settings,
      portalUrl: options.portalUrl ?? `${origin}/portal`,
      staffUrl: options.staffUrl ?? `${origin}/staff`,
    },
  };
  return {
    sessionResolver: createSessionResolver(deps),
    service: {
      cookie: deps.cookie,
      signIn: (input, meta) => signIn(deps, input, meta),
      signOut: (session, token, meta) => signOut(deps, session, token, meta),
      signOutEverywhere: (session, meta) => signOutEverywhere(deps, session, meta),
      me: (session, token) => describeMe(deps, session, token),
      startTotpEnrolment: (session) => startTotpEnrolment(deps, session),
      confirmTotpEnrolment: (session, code, meta) => confirmTotpEnrolment(deps, session, code, meta),
      invitePatient: (actor, input) => invitePatient(deps, actor, input),
      acceptInvitation: (input, meta) => acceptInvitation(deps, input, meta),
      requestPasswordReset: (input, meta) => requestPasswordReset(deps, input, meta),
      resetPassword: (input, meta) => resetPassword(deps, input, meta),
      changePassword: (session, token, input, meta) => changePassword(deps, session, token, input, meta),
      inviteStaff: (actor, clinicId, input) => inviteStaff(deps, actor, clinicId, input),
      resendStaffInvitation: (actor, input) => resendStaffInvitation(deps, actor, input),
      revokeStaffInvitation: (actor, input) => revokeStaffInvitation(deps, actor, input),
      previewStaffInvitation: (input, meta) => previewStaffInvitation(deps, input, meta),
      acceptStaffInvitation: (input, meta) => acceptStaffInvitation(deps, input, meta),
      listTeam: (actor) => listTeam(deps, actor),
      changeTeamMember: (actor, input) => changeTeamMember(deps, actor, input),
      resetSecondFactor: (actor, input) => resetSecondFactor(deps, actor, input),
    },
    credentials: {
      async provision(input) {
        const hash = await passwords.hash(input.password);
        const now = options.clock.now();
        await options.store.run(input.clinicId, async (s) => {
          await s.credentials.setPassword(input.person, normaliseEmail(input.email), hash, now);
          if (input.totpSecret) {
            await s.credentials.startTotp(input.person, input.totpSecret, now, null);
            await s.credentials.enableTotp(input.person, input.totpSecret, 0, []);
          }
        });
      },
    },
  };
}
