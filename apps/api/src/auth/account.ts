import { findPerson, type StaffRole } from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { AuthError } from "./AuthError";
import { sha256, tokenShape } from "./secrets";
import type { Session } from "./session";
import type { RequestMeta } from "./signIn";
import { matchTotp, newRecoveryCodes, newTotpSecret, recoveryCodeDigest, totpUri } from "./totp";

/** Who is signed in, for the app's header and its logoff warning. */
export interface Me {
  readonly person: Session["person"];
  readonly name: string;
  readonly role: StaffRole | null;
  readonly clinic: { readonly id: string; readonly name: string };
  /** SEC-2: the web app warns before this many idle minutes end the session. */
  readonly idleTimeoutMinutes: number;
  /** SEC-2: when the session ends however active (null when unknown). */
  readonly sessionExpiresAt: Date | null;
  readonly totpEnabled: boolean;
}

/** `auth.me`: the signed-in person, their clinic and the session's limits. */
export async function describeMe(deps: AuthDeps, session: Session, token: string | null): Promise<Me> {
  const live = token && tokenShape.test(token) ? await deps.store.sessionByTokenHash(sha256(token)) : null;
  return deps.store.run(session.clinicId, async (s) => {
    const clinic = await s.clinics.get(session.clinicId);
    const person = await findPerson(s, session.person);
    const credentials = await s.credentials.get(session.person);
    if (!clinic || !person) throw new AuthError("ACCOUNT_UNAVAILABLE");
    return {
      person: session.person,
      name: person.kind === "staff" ? person.staff.name : person.patient.name,
      role: person.kind === "staff" ? person.staff.role : null,
      clinic: { id: clinic.id, name: clinic.name },
      idleTimeoutMinutes: clinic.settings.idleTimeoutMinutes,
      sessionExpiresAt: live && live.clinicId === session.clinicId ? live.expiresAt : null,
      totpEnabled: credentials?.totpEnabled ?? false,
    };
  });
}

/** Ends this browser's session (when it still has one) and audits it. */
export async function signOut(
  deps: AuthDeps,
  session: Session | null,
  token: string | null,
  meta: RequestMeta,
) {
  if (!session || !token || !tokenShape.test(token)) return;
  const now = deps.clock.now();
  await deps.store.run(session.clinicId, async (s) => {
    if (!(await s.sessions.revoke(sha256(token), now))) return;
    await s.audit.append({
      clinicId: session.clinicId,
      actor: session.person,
      action: "auth.sign_out",
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
  });
}

/** Ends every session of the signed-in person, on every device; how many were ended. */
export async function signOutEverywhere(
  deps: AuthDeps,
  session: Session,
  meta: RequestMeta,
): Promise<number> {
  const now = deps.clock.now();
  return deps.store.run(session.clinicId, async (s) => {
    // Sessions that already ended unseen are recorded as what ended them, not as signed out.
    await s.sessions.endExpired(session.person, now);
    const ended = await s.sessions.revokeAll(session.person, now);
    await s.audit.append({
      clinicId: session.clinicId,
      actor: session.person,
      action: "auth.sign_out_everywhere",
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
    // SEC-3: every session it ended is an end of a session, each with its own record.
    await s.audit.appendAll(
      Array.from({ length: ended }, () => ({
        clinicId: session.clinicId,
        actor: session.person,
        action: "session.ended" as const,
        reason: "signed_out_everywhere",
        at: now,
        ip: meta.ip,
        outcome: "success" as const,
      })),
    );
    return ended;
  });
}

/** SEC-1: a signed-in patient turns TOTP on (staff have it from their first sign-in). Step one: the secret. */
export async function startTotpEnrolment(
  deps: AuthDeps,
  session: Session,
): Promise<{ secret: string; uri: string }> {
  return deps.store.run(session.clinicId, async (s) => {
    const credentials = await s.credentials.get(session.person);
    if (!credentials) throw new AuthError("ACCOUNT_UNAVAILABLE");
    if (credentials.totpEnabled) throw new AuthError("TOTP_ALREADY_ON");
    const secret = newTotpSecret();
    // The signed-in person themselves: a new start replaces their own pending secret.
    await s.credentials.startTotp(session.person, secret, deps.clock.now(), null);
    const clinic = await s.clinics.get(session.clinicId);
    const issuer = clinic ? `${deps.settings.totpIssuer} (${clinic.name})` : deps.settings.totpIssuer;
    return { secret, uri: totpUri(secret, issuer, credentials.loginEmail) };
  });
}

/** Step two: a code from the app confirms the secret; the recovery codes are shown once. */
export async function confirmTotpEnrolment(
  deps: AuthDeps,
  session: Session,
  code: string,
  meta: RequestMeta,
): Promise<{ recoveryCodes: string[] }> {
  const now = deps.clock.now();
  return deps.store.run(session.clinicId, async (s) => {
    const credentials = await s.credentials.get(session.person);
    if (!credentials) throw new AuthError("ACCOUNT_UNAVAILABLE");
    if (credentials.totpEnabled) throw new AuthError("TOTP_ALREADY_ON");
    if (!credentials.totpSecret) throw new AuthError("TOTP_NOT_STARTED");
    const step = matchTotp(credentials.totpSecret, code, now);
    const recoveryCodes = newRecoveryCodes();
    if (
      step === null ||
      !(await s.credentials.enableTotp(
        session.person,
        credentials.totpSecret,
        step,
        recoveryCodes.map(recoveryCodeDigest),
      ))
    )
      throw new AuthError("CODE_INVALID");
    await s.audit.append({
      clinicId: session.clinicId,
      actor: session.person,
      action: "auth.totp_enrol",
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
    return { recoveryCodes };
  });
}
