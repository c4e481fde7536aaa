import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "../trpc";
import { id, multiLine, noInput } from "./fields";

/** Inputs of the emergency access procedures (SEC-6); the reason's rules are the domain's. */
export const emergencyInput = {
  standing: z.strictObject({ conversationId: id }),
  open: z.strictObject({ conversationId: id, reason: multiLine().min(1).max(2000) }),
  recent: noInput,
  noticeCount: noInput,
};

/** REC-7: an admin opens a conversation they are not part of, for an hour, with a reason; the others are told. */
export const emergencyRouter = {
  standing: adminProcedure
    .input(emergencyInput.standing)
    .query(({ ctx, input }) => ctx.deps.chat.emergencyStanding(ctx.actor, input)),
  open: adminProcedure
    .input(emergencyInput.open)
    .mutation(({ ctx, input }) => ctx.deps.chat.openInEmergency(ctx.actor, input)),
  recent: adminProcedure
    .input(emergencyInput.recent)
    .query(({ ctx }) => ctx.deps.chat.recentEmergencyAccess(ctx.actor)),
  noticeCount: adminProcedure
    .input(emergencyInput.noticeCount)
    .query(({ ctx }) => ctx.deps.chat.emergencyNoticeCount(ctx.actor)),
} satisfies TRPCRouterRecord;
