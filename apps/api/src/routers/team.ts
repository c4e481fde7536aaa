import { staffRoles } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "../trpc";
import { authOf } from "./auth";
import { id, noInput, singleLine } from "./fields";

/** Inputs of Clinic Settings › Team (SEC-6). */
export const teamInput = {
  list: noInput,
  invite: z.strictObject({ email: singleLine().trim().max(320).pipe(z.email()), role: z.enum(staffRoles) }),
  resendInvitation: z.strictObject({ invitationId: id }),
  revokeInvitation: z.strictObject({ invitationId: id }),
  changeRole: z.strictObject({ staffId: id, role: z.enum(staffRoles) }),
  deactivate: z.strictObject({ staffId: id }),
  reactivate: z.strictObject({ staffId: id }),
  resetSecondFactor: z.strictObject({ staffId: id }),
};

/** Clinic Settings › Team (ADMIN-2): admins only. */
export const teamRouter = {
  list: adminProcedure.input(teamInput.list).query(async ({ ctx }) => {
    const { members, invitations } = await authOf(ctx).listTeam(ctx.actor);
    const now = Date.now();
    return {
      members: members.map((m) => ({
        id: m.staff.id,
        name: m.staff.name,
        email: m.staff.email,
        role: m.staff.role,
        status: m.staff.active ? ("active" as const) : ("deactivated" as const),
        lastSignInAt: m.lastSignInAt?.toISOString() ?? null,
        secondFactor: m.secondFactor,
        you: m.staff.id === ctx.actor.person.id,
      })),
      invitations: invitations.map((i) => ({
        id: i.id,
        email: i.email,
        role: i.role,
        status: "invited" as const,
        invitedAt: i.createdAt.toISOString(),
        expiresAt: i.expiresAt.toISOString(),
        expired: i.expiresAt.getTime() <= now,
      })),
    };
  }),
  invite: adminProcedure.input(teamInput.invite).mutation(async ({ ctx, input }) => {
    const invitation = await authOf(ctx).inviteStaff(ctx.actor, ctx.actor.clinicId, input);
    return { invitationId: invitation.id, expiresAt: invitation.expiresAt.toISOString() };
  }),
  resendInvitation: adminProcedure.input(teamInput.resendInvitation).mutation(async ({ ctx, input }) => {
    const { expiresAt } = await authOf(ctx).resendStaffInvitation(ctx.actor, input);
    return { expiresAt: expiresAt.toISOString() };
  }),
  revokeInvitation: adminProcedure.input(teamInput.revokeInvitation).mutation(async ({ ctx, input }) => {
    await authOf(ctx).revokeStaffInvitation(ctx.actor, input);
    return { revoked: true as const };
  }),
  changeRole: adminProcedure.input(teamInput.changeRole).mutation(async ({ ctx, input }) => {
    await authOf(ctx).changeTeamMember(ctx.actor, {
      staffId: input.staffId,
      change: { kind: "role", role: input.role },
    });
    return { changed: true as const };
  }),
  deactivate: adminProcedure.input(teamInput.deactivate).mutation(async ({ ctx, input }) => {
    await authOf(ctx).changeTeamMember(ctx.actor, { staffId: input.staffId, change: { kind: "deactivate" } });
    return { changed: true as const };
  }),
  reactivate: adminProcedure.input(teamInput.reactivate).mutation(async ({ ctx, input }) => {
    await authOf(ctx).changeTeamMember(ctx.actor, { staffId: input.staffId, change: { kind: "reactivate" } });
    return { changed: true as const };
  }),
  resetSecondFactor: adminProcedure.input(teamInput.resetSecondFactor).mutation(async ({ ctx, input }) => {
    await authOf(ctx).resetSecondFactor(ctx.actor, input);
    return { reset: true as const };
  }),
} satisfies TRPCRouterRecord;
