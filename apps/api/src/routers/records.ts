import { legalHoldReasonLimits, retentionLimits, retentionUnits } from "@clinic-chat/domain/records";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { exportConversationPdf } from "../export/conversationPdf";
import { adminProcedure, staffProcedure } from "../trpc";
import { id, multiLine, noInput, singleLine } from "./fields";

const largestAmount = Math.max(...Object.values(retentionLimits).map((l) => l.max));

/** Inputs of the records procedures (SEC-6); the domain judges the reason and the period. */
export const recordsInput = {
  hold: z.strictObject({ patientId: id }),
  placeHold: z.strictObject({
    patientId: id,
    reason: multiLine()
      .min(1)
      .max(legalHoldReasonLimits.max * 4),
  }),
  liftHold: z.strictObject({ patientId: id }),
  erasePatient: z.strictObject({
    patientId: id,
    confirmName: singleLine().max(400),
    reason: multiLine()
      .min(1)
      .max(legalHoldReasonLimits.max * 4),
  }),
  retention: noInput,
  exportPdf: z.strictObject({ conversationId: id }),
  setRetention: z.strictObject({
    period: z
      .strictObject({ amount: z.int().min(1).max(largestAmount), unit: z.enum(retentionUnits) })
      .nullable(),
  }),
};

/**
 * The clinic's records: legal holds on patients (REC-4), placed and lifted by admins and shown to
 * staff on the patient, erasing a whole patient (REC-2), the retention period of Clinic
 * Settings › Records (REC-3), and a conversation's PDF transcript (REC-5).
 */
export const recordsRouter = {
  hold: staffProcedure
    .input(recordsInput.hold)
    .query(({ ctx, input }) => ctx.deps.chat.legalHoldOf(ctx.actor, input)),
  placeHold: adminProcedure
    .input(recordsInput.placeHold)
    .mutation(({ ctx, input }) => ctx.deps.chat.placeLegalHold(ctx.actor, input)),
  liftHold: adminProcedure.input(recordsInput.liftHold).mutation(async ({ ctx, input }) => {
    await ctx.deps.chat.liftLegalHold(ctx.actor, input);
    return { lifted: true as const };
  }),
  erasePatient: adminProcedure
    .input(recordsInput.erasePatient)
    .mutation(({ ctx, input }) => ctx.deps.chat.erasePatient(ctx.actor, input)),
  retention: adminProcedure
    .input(recordsInput.retention)
    .query(({ ctx }) => ctx.deps.chat.retentionSetting(ctx.actor)),
  setRetention: adminProcedure
    .input(recordsInput.setRetention)
    .mutation(({ ctx, input }) => ctx.deps.chat.changeRetention(ctx.actor, input)),
  // REC-5: the conversation as a PDF for the chart or a patient's request, downloaded by the staff
  // app; a patient's session is refused here, the domain refuses any other non-staff person.
  exportPdf: staffProcedure
    .input(recordsInput.exportPdf)
    .query(({ ctx, input }) => exportConversationPdf(ctx.deps.chat, ctx.actor, input.conversationId)),
} satisfies TRPCRouterRecord;
