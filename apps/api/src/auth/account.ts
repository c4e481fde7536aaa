import { type ClinicAuthStores, findPerson, type StaffRole } from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { AuthError } from "./AuthError";
import { checkNewPassword } from "./passwords";
import { sha256, tokenShape } from "./secrets";
import type { Session } from "./session";
import { endSessionsOf } from "./sessionEnds";
import type { RequestMeta } from "./signIn";
import { matchTotp, newRecoveryCodes, newTotpSecret, recoveryCodeDigest, totpUri } from "./totp";

/** Who is signed in, for the app's header and its logoff warning. */
export interface Me {
  readonly person: Session["person"];
  readonly name: string;
  readonly role: StaffRole | null;
  /** The clinic, with its IANA time zone: the staff app shows and takes appointment times in it. */
  readonly clinic: { readonly id: string; readonly name: string; readonly timeZone: string };
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
      clinic: { id: clinic.id, name: clinic.name, timeZone: clinic.timeZone },
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
    const ended = await endSessionsOf(
      s,
      session.clinicId,
      session.person,
      now,
      meta.ip,
      "signed_out_everywhere",
    );
    await s.audit.append({
      clinicId: session.clinicId,
      actor: session.person,
      action: "auth.sign_out_everywhere",
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
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

/**
 * ACC-2: the signed-in person changes their password, proving the current one first. The try is
 * counted like a sign-in (ACC-3) before the password is checked; a wrong one is audited as
 * refused. Every other session of the account ends; this browser's stays.
 */
export async function changePassword(
  deps: AuthDeps,
  session: Session,
  token: string | null,
  input: { readonly currentPassword: string; readonly newPassword: string },
  meta: RequestMeta,
): Promise<{ sessionsEnded: number }> {
  checkNewPassword(input.newPassword);
  const credentials = await deps.store.run(session.clinicId, (s) => s.credentials.get(session.person));
  if (!credentials) throw new AuthError("ACCOUNT_UNAVAILABLE");
  const attempt = await deps.limiter.attempt(credentials.loginEmail, meta.ip);
  const audit = (s: ClinicAuthStores, outcome: "success" | "denied", at: Date) =>
    s.audit.append({
      clinicId: session.clinicId,
      actor: session.person,
      action: "auth.password_change",
      subject: session.person,
      ...(outcome === "denied" ? { reason: "CURRENT_PASSWORD_WRONG" } : {}),
      at,
      ip: meta.ip,
      outcome,
    });
  if ((await deps.passwords.matching([credentials], input.currentPassword)).length === 0) {
    await deps.store.run(session.clinicId, (s) => audit(s, "denied", deps.clock.now()));
    throw new AuthError("CURRENT_PASSWORD_WRONG");
  }
  const passwordHash = await deps.passwords.hash(input.newPassword);
  const current = token && tokenShape.test(token) ? sha256(token) : undefined;
  const now = deps.clock.now();
  const sessionsEnded = await deps.store.run(session.clinicId, async (s) => {
    await s.credentials.setPassword(session.person, credentials.loginEmail, passwordHash, now);
    const ended = await endSessionsOf(
      s,
      session.clinicId,
      session.person,
      now,
      meta.ip,
      "password_changed",
      current,
    );
    await audit(s, "success", now);
    return ended;
  });
  await attempt.succeeded();
  return { sessionsEnded };
}
