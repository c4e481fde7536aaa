import {
  type Actor,
  applyTeamChange,
  assertAllowed,
  DomainError,
  decideTeamChange,
  loadActing,
  type StaffInvitation,
  type TeamChange,
  type TeamMember,
} from "@clinic-chat/domain";
import type { AuthDeps } from "./AuthDeps";

/** Clinic Settings › Team (ADMIN-2): every staff member and the invitations still pending. */
export async function listTeam(
  deps: AuthDeps,
  actor: Actor,
): Promise<{ members: TeamMember[]; invitations: StaffInvitation[] }> {
  return deps.store.run(actor.clinicId, async (s) => {
    await loadActing(s, actor, { as: "admin" });
    return { members: await s.team.members(), invitations: await s.team.invitations() };
  });
}

/**
 * ADMIN-2: changes a staff member's role, or deactivates or reactivates them, as the domain's
 * {@link decideTeamChange} allows (the last active admin stays). ELIG-6: a deactivated member's
 * sessions end at once, in the same transaction; their open live streams end at their next
 * standing check, which reads the same deactivation.
 */
export async function changeTeamMember(
  deps: AuthDeps,
  actor: Actor,
  input: { readonly staffId: string; readonly change: TeamChange },
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.run(actor.clinicId, async (s) => {
    await loadActing(s, actor, { as: "admin" });
    const members = await s.team.members();
    const target = members.find((m) => m.staff.id === input.staffId)?.staff;
    if (!target) throw new DomainError("NOT_FOUND");
    assertAllowed(
      decideTeamChange(
        members.map((m) => m.staff),
        target,
        input.change,
      ),
    );
    await s.directory.saveStaff(applyTeamChange(target, input.change));
    const ref = { kind: "staff", id: target.id } as const;
    if (input.change.kind === "deactivate") await s.sessions.revokeAll(ref, now);
    // Their open live streams check their standing again at once (ELIG-6), in every process.
    await s.events.append([
      {
        clinicId: actor.clinicId,
        conversationId: null,
        type: "team.member_changed",
        messageId: null,
        person: ref,
        seq: null,
        at: now,
      },
    ]);
    await s.audit.append({
      clinicId: actor.clinicId,
      actor: actor.person,
      action:
        input.change.kind === "role"
          ? "team.role_change"
          : input.change.kind === "deactivate"
            ? "team.deactivate"
            : "team.reactivate",
      subject: ref,
      at: now,
      ip: actor.ip ?? null,
      outcome: "success",
    });
  });
}

/**
 * ADMIN-2: a staff member's second factor is forgotten (a lost phone); they enrol again at their
 * next sign-in. Their sessions end, so that sign-in comes at once.
 */
export async function resetSecondFactor(
  deps: AuthDeps,
  actor: Actor,
  input: { readonly staffId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.run(actor.clinicId, async (s) => {
    await loadActing(s, actor, { as: "admin" });
    const ref = { kind: "staff", id: input.staffId } as const;
    const target = await s.directory.staffMember(input.staffId);
    if (!target || !(await s.credentials.resetSecondFactor(ref))) throw new DomainError("NOT_FOUND");
    await s.sessions.revokeAll(ref, now);
    await s.audit.append({
      clinicId: actor.clinicId,
      actor: actor.person,
      action: "team.second_factor_reset",
      subject: ref,
      at: now,
      ip: actor.ip ?? null,
      outcome: "success",
    });
  });
}
