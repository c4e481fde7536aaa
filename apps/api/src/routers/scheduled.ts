import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { clientId, id, messageText, noInput } from "./fields";

/** A time on the clinic's wall clock: the domain turns it into an instant in the clinic's zone. */
const when = z.strictObject({
  date: z.iso.date(),
  minute: z
    .int()
    .min(0)
    .max(24 * 60 - 1),
});

/** Inputs of the scheduled message procedures (SEC-6). */
export const scheduledInput = {
  options: noInput,
  list: z.strictObject({ conversationId: id }),
  schedule: z.strictObject({ conversationId: id, clientId, text: messageText, when }),
  edit: z.strictObject({ scheduledId: id, text: messageText, when }),
  cancel: z.strictObject({ scheduledId: id }),
};

/**
 * Scheduled messages (SCHED-1): "Send later" with its quick picks in the clinic's zone, the
 * conversation's scheduled messages for staff, and editing and cancelling one's own until it goes.
 */
export const scheduledRouter = {
  options: staffProcedure
    .input(scheduledInput.options)
    .query(({ ctx }) => ctx.deps.chat.sendLaterOptions(ctx.actor)),
  list: staffProcedure
    .input(scheduledInput.list)
    .query(({ ctx, input }) => ctx.deps.chat.listScheduledMessages(ctx.actor, input)),
  schedule: staffProcedure
    .input(scheduledInput.schedule)
    .mutation(({ ctx, input }) => ctx.deps.chat.scheduleMessage(ctx.actor, input)),
  edit: staffProcedure
    .input(scheduledInput.edit)
    .mutation(({ ctx, input }) => ctx.deps.chat.editScheduledMessage(ctx.actor, input)),
  cancel: staffProcedure
    .input(scheduledInput.cancel)
    .mutation(({ ctx, input }) => ctx.deps.chat.cancelScheduledMessage(ctx.actor, input)),
} satisfies TRPCRouterRecord;
