import { randomUUID } from "node:crypto";
import {
  type Actor,
  type ClinicAuthStores,
  DomainError,
  loadActing,
  type StaffInvitation,
  type StaffRole,
} from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";
import { AuthError } from "./AuthError";
import { normaliseEmail } from "./emails";
import { checkNewPassword } from "./passwords";
import { newToken, sha256, tokenShape } from "./secrets";
import type { RequestMeta } from "./signIn";
import { staffInvitationEmail } from "./staffInvitationEmail";

/** A staff invitation's link: single use, below the staff app, the token in the fragment. */
function sendInvitation(
  deps: AuthDeps,
  clinicName: string,
  invitation: Pick<StaffInvitation, "email" | "role">,
  token: string,
): Promise<void> {
  const link = `${deps.settings.staffUrl.replace(/\/$/, "")}/invitation#${token}`;
  const days = Math.round(deps.settings.invitationLifetimeMs / 86_400_000);
  return deps.mailer
    .send(staffInvitationEmail(invitation.email, clinicName, invitation.role, link, days))
    .then(
      () => undefined,
      () => {
        throw new AuthError("INVITATION_NOT_SENT");
      },
    );
}

/**
 * ADMIN-2 (and ADMIN-1's first admin): invites an email to the clinic's staff with a role. Any
 * earlier pending invitation of that email stops working; the email goes out before the
 * transaction commits, so when it cannot be sent nothing changed. `actor` is null for the operator
 * command, which has no signed-in person.
 */
export async function inviteStaff(
  deps: AuthDeps,
  actor: Actor | null,
  clinicId: string,
  input: { readonly email: string; readonly role: StaffRole },
): Promise<StaffInvitation> {
  const now = deps.clock.now();
  const token = newToken();
  const invitation: StaffInvitation = {
    id: randomUUID(),
    email: normaliseEmail(input.email),
    role: input.role,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.settings.invitationLifetimeMs),
  };
  await deps.store.run(clinicId, async (s) => {
    if (actor) await loadActing(s, actor, { as: "admin" });
    const clinic = await s.clinics.get(clinicId);
    if (!clinic) throw new DomainError("NOT_FOUND");
    if (await staffEmailTaken(s, invitation.email)) throw new AuthError("STAFF_EMAIL_IN_USE");
    await s.team.invite({ ...invitation, tokenHash: sha256(token) });
    await audit(s, clinicId, actor, "team.invite", now);
    await sendInvitation(deps, clinic.name, invitation, token);
  });
  return invitation;
}

/** ADMIN-2: a pending invitation gets a new link (the old one stops working) and a fresh week. */
export async function resendStaffInvitation(
  deps: AuthDeps,
  actor: Actor,
  input: { readonly invitationId: string },
): Promise<{ expiresAt: Date }> {
  const now = deps.clock.now();
  const token = newToken();
  const expiresAt = new Date(now.getTime() + deps.settings.invitationLifetimeMs);
  await deps.store.run(actor.clinicId, async (s) => {
    await loadActing(s, actor, { as: "admin" });
    const clinic = await s.clinics.get(actor.clinicId);
    const invitation = await s.team.invitation(input.invitationId);
    if (!clinic || !invitation) throw new DomainError("NOT_FOUND");
    if (!(await s.team.resend(invitation.id, sha256(token), expiresAt))) throw new DomainError("NOT_FOUND");
    await audit(s, actor.clinicId, actor, "team.invite_resend", now);
    await sendInvitation(deps, clinic.name, invitation, token);
  });
  return { expiresAt };
}

/** ADMIN-2: a pending invitation's link stops working. */
export async function revokeStaffInvitation(
  deps: AuthDeps,
  actor: Actor,
  input: { readonly invitationId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.run(actor.clinicId, async (s) => {
    await loadActing(s, actor, { as: "admin" });
    if (!(await s.team.revoke(input.invitationId, now))) throw new DomainError("NOT_FOUND");
    await audit(s, actor.clinicId, actor, "team.invite_revoke", now);
  });
}

/** What the invitation page shows before the invitee commits to anything. */
export interface StaffInvitationPreview {
  readonly clinicName: string;
  readonly email: string;
  readonly role: StaffRole;
}

/**
 * `auth.acceptStaffInvitation` (ADMIN-2): the invitee gives their name and chooses a password; they
 * become an active staff member with the invited role. No session yet: staff sign in with their
 * second factor, so the app signs them in next, which takes them through TOTP enrolment (QR code,
 * key, recovery codes). ACC-3: the attempt is counted before the token is looked at, and stays
 * counted when the link is wrong, used, revoked or expired.
 */
export async function acceptStaffInvitation(
  deps: AuthDeps,
  input: { readonly token: string; readonly name: string; readonly password: string },
  meta: RequestMeta,
): Promise<{ email: string }> {
  checkNewPassword(input.password);
  const attempt = await deps.limiter.attempt(null, meta.ip);
  const tokenHash = tokenShape.test(input.token) ? sha256(input.token) : null;
  const invitation = tokenHash ? await deps.store.staffInvitationByTokenHash(tokenHash) : null;
  const now = deps.clock.now();
  if (!tokenHash || !invitation || invitation.expiresAt.getTime() <= now.getTime())
    throw new AuthError("INVITATION_INVALID");
  // Hashing takes tens of milliseconds: done before the transaction, not inside it.
  const passwordHash = await deps.passwords.hash(input.password);
  const result = await deps.store.run(invitation.clinicId, async (s) => {
    if (!(await s.team.use(tokenHash, now))) return "invalid" as const;
    if (await staffEmailTaken(s, invitation.email)) return "emailInUse" as const;
    const ref = { kind: "staff", id: randomUUID() } as const;
    await s.directory.saveStaff({
      id: ref.id,
      clinicId: invitation.clinicId,
      name: input.name.trim(),
      email: invitation.email,
      role: invitation.role,
      active: true,
      availableForPatientChat: true,
      emailNotifications: true,
    });
    await s.credentials.setPassword(ref, invitation.email, passwordHash, now);
    await s.audit.append({
      clinicId: invitation.clinicId,
      actor: ref,
      action: "team.join",
      subject: ref,
      at: now,
      ip: meta.ip,
      outcome: "success",
    });
    return { email: invitation.email };
  });
  if (result === "invalid") throw new AuthError("INVITATION_INVALID");
  await attempt.succeeded();
  if (result === "emailInUse") throw new AuthError("STAFF_EMAIL_IN_USE");
  return result;
}

/** The clinic and role an invitation link is for, so the page can greet the invitee; null when it does not work. */
export async function previewStaffInvitation(
  deps: AuthDeps,
  input: { readonly token: string },
  meta: RequestMeta,
): Promise<StaffInvitationPreview> {
  const attempt = await deps.limiter.attempt(null, meta.ip);
  const invitation = tokenShape.test(input.token)
    ? await deps.store.staffInvitationByTokenHash(sha256(input.token))
    : null;
  if (!invitation || invitation.expiresAt.getTime() <= deps.clock.now().getTime())
    throw new AuthError("INVITATION_INVALID");
  const clinic = await deps.store.run(invitation.clinicId, (s) => s.clinics.get(invitation.clinicId));
  if (!clinic) throw new AuthError("INVITATION_INVALID");
  await attempt.succeeded();
  return { clinicName: clinic.name, email: invitation.email, role: invitation.role };
}

/** True when a staff member of this clinic already signs in with the email. */
async function staffEmailTaken(s: ClinicAuthStores, email: string): Promise<boolean> {
  return s.credentials.emailTaken({ kind: "staff", id: "" }, email);
}

async function audit(
  s: ClinicAuthStores,
  clinicId: string,
  actor: Actor | null,
  action: "team.invite" | "team.invite_resend" | "team.invite_revoke",
  at: Date,
): Promise<void> {
  await s.audit.append({
    clinicId,
    actor: actor?.person ?? null,
    action,
    at,
    ip: actor?.ip ?? null,
    outcome: "success",
  });
}
