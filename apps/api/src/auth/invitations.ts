import { type Actor, DomainError, loadActing } from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { AuthError } from "./AuthError";
import { normaliseEmail } from "./emails";
import { invitationEmail } from "./invitationEmail";
import { openSession } from "./openSession";
import { checkNewPassword } from "./passwords";
import { newToken, sha256, tokenShape } from "./secrets";
import type { RequestMeta } from "./signIn";

/**
 * `patients.invite` (ELIG-1): a staff member invites a patient with an email address to the
 * Patient Portal. A single-use link valid for 7 days replaces any earlier one, the account becomes
 * `invited`, and the email goes out before the transaction commits: if it cannot be sent, nothing
 * changed and the staff member can simply try again.
 */
export async function invitePatient(
  deps: AuthDeps,
  actor: Actor,
  input: { readonly patientId: string },
): Promise<{ expiresAt: Date }> {
  const now = deps.clock.now();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + deps.settings.invitationLifetimeMs);
  await deps.store.run(actor.clinicId, async (s) => {
    await loadActing(s, actor, { as: "staff" });
    const patient = await s.directory.patient(input.patientId);
    const clinic = await s.clinics.get(actor.clinicId);
    if (!patient || patient.erasure || !clinic) throw new DomainError("NOT_FOUND");
    if (!patient.email) throw new AuthError("PATIENT_EMAIL_MISSING");
    if (patient.portalAccount === "active") throw new AuthError("PORTAL_ALREADY_ACTIVE");
    const ref = { kind: "patient", id: patient.id } as const;
    if (await s.credentials.emailTaken(ref, normaliseEmail(patient.email)))
      throw new AuthError("PORTAL_EMAIL_IN_USE");
    await s.invitations.create({
      tokenHash: sha256(token),
      patientId: patient.id,
      createdAt: now,
      expiresAt,
    });
    await s.directory.savePatient({ ...patient, portalAccount: "invited" });
    await s.audit.append({
      clinicId: actor.clinicId,
      actor: actor.person,
      action: "portal.invite",
      subject: ref,
      at: now,
      ip: actor.ip ?? null,
      outcome: "success",
    });
    const link = `${deps.settings.portalUrl.replace(/\/$/, "")}/invitation#${token}`;
    const days = Math.round(deps.settings.invitationLifetimeMs / 86_400_000);
    await deps.mailer.send(invitationEmail(patient.email, clinic.name, link, days)).catch(() => {
      throw new AuthError("INVITATION_NOT_SENT");
    });
  });
  return { expiresAt };
}

/**
 * `auth.acceptInvitation` (ELIG-1): the invited patient chooses a password (12 to 128
 * characters); the portal account becomes `active` and the patient is signed in. ACC-3: the
 * attempt is counted against the address's sign-in limit before the token is looked at, and stays
 * counted when the link is wrong, used or expired.
 */
export async function acceptInvitation(
  deps: AuthDeps,
  input: { readonly token: string; readonly password: string },
  meta: RequestMeta,
): Promise<{ token: string }> {
  checkNewPassword(input.password);
  const attempt = await deps.limiter.attempt(null, meta.ip);
  const tokenHash = tokenShape.test(input.token) ? sha256(input.token) : null;
  const invitation = tokenHash ? await deps.store.invitationByTokenHash(tokenHash) : null;
  const now = deps.clock.now();
  if (!tokenHash || !invitation || invitation.expiresAt.getTime() <= now.getTime())
    throw new AuthError("INVITATION_INVALID");
  // Hashing takes tens of milliseconds: done before the transaction, not inside it.
  const passwordHash = await deps.passwords.hash(input.password);
  const result = await deps.store.run(invitation.clinicId, async (s) => {
    if (!(await s.invitations.use(tokenHash, now))) return "invalid" as const;
    const patient = await s.directory.patient(invitation.patientId);
    if (!patient?.email || patient.portalAccount !== "invited") return "invalid" as const;
    const ref = { kind: "patient", id: patient.id } as const;
    const email = normaliseEmail(patient.email);
    if (await s.credentials.emailTaken(ref, email)) return "emailInUse" as const;
    await s.credentials.setPassword(ref, email, passwordHash, now);
    await s.directory.savePatient({ ...patient, portalAccount: "active" });
    await s.audit.append({
      clinicId: invitation.clinicId,
      actor: ref,
      action: "portal.activate",
      subject: ref,
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
    return { token: await openSession(deps, s, invitation.clinicId, ref, now, meta.ip) };
  });
  if (result === "invalid") throw new AuthError("INVITATION_INVALID");
  await attempt.succeeded();
  if (result === "emailInUse") throw new AuthError("PORTAL_EMAIL_IN_USE");
  return result;
}
