import { officeHoursLimits, type Weekday, weekdays } from "@clinic-chat/domain/hours";
import { inboxViews, maxInboxPage } from "@clinic-chat/domain/inbox";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, authedProcedure, staffProcedure } from "../trpc";
import { cursor, id, multiLine, noInput, singleLine } from "./fields";

const conversation = z.strictObject({ conversationId: id });

const period = z.strictObject({
  opens: z.int().min(0).max(officeHoursLimits.minutesPerDay),
  closes: z.int().min(0).max(officeHoursLimits.minutesPerDay),
});

const weekly = z.strictObject(
  Object.fromEntries(
    weekdays.map((day) => [day, z.array(period).max(officeHoursLimits.periodsPerDay)]),
  ) as Record<Weekday, z.ZodArray<typeof period>>,
);

/** Office hours as an admin keeps them (HOURS-1, HOURS-3, HOURS-4); the domain checks the rest. */
const officeHours = z.strictObject({
  timeZone: singleLine().min(1).max(64),
  weekly,
  closedDates: z.array(z.iso.date()).max(officeHoursLimits.closedDates),
  // The domain trims and counts characters; the edge leaves room for surrounding white space.
  guidelines: multiLine().max(officeHoursLimits.guidelinesMaxLength * 4),
  afterHoursReply: z.boolean(),
});

/** Inputs of the inbox and office hours procedures (SEC-6). */
export const inboxInput = {
  list: z.strictObject({
    view: z.enum(inboxViews),
    limit: z.int().min(1).max(maxInboxPage),
    cursor: cursor.nullish(),
  }),
  timeline: conversation,
  claim: conversation,
  assign: z.strictObject({ conversationId: id, staffId: id }),
  unassign: conversation,
  close: conversation,
  reopen: conversation,
  markUnread: conversation,
  officeHours: noInput,
  changeOfficeHours: officeHours,
  afterHoursNotice: noInput,
};

/**
 * The clinic's inbox (INBOX-1 … INBOX-3): the views with their counts, a conversation's timeline,
 * claim/assign/unassign/close/reopen and "mark unread"; Clinic Settings › Office hours and the
 * patient composer's after-hours notice (HOURS-1 … HOURS-4).
 */
export const inboxRouter = {
  list: staffProcedure
    .input(inboxInput.list)
    .query(({ ctx, input }) => ctx.deps.chat.listInbox(ctx.actor, input)),
  timeline: authedProcedure
    .input(inboxInput.timeline)
    .query(({ ctx, input }) => ctx.deps.chat.readTimeline(ctx.actor, input)),
  claim: staffProcedure.input(inboxInput.claim).mutation(({ ctx, input }) =>
    ctx.deps.chat.changeInbox(ctx.actor, {
      conversationId: input.conversationId,
      change: { kind: "claim" },
    }),
  ),
  assign: staffProcedure.input(inboxInput.assign).mutation(({ ctx, input }) =>
    ctx.deps.chat.changeInbox(ctx.actor, {
      conversationId: input.conversationId,
      change: { kind: "assign", staffId: input.staffId },
    }),
  ),
  unassign: staffProcedure.input(inboxInput.unassign).mutation(({ ctx, input }) =>
    ctx.deps.chat.changeInbox(ctx.actor, {
      conversationId: input.conversationId,
      change: { kind: "unassign" },
    }),
  ),
  close: staffProcedure.input(inboxInput.close).mutation(({ ctx, input }) =>
    ctx.deps.chat.changeInbox(ctx.actor, {
      conversationId: input.conversationId,
      change: { kind: "close" },
    }),
  ),
  reopen: staffProcedure.input(inboxInput.reopen).mutation(({ ctx, input }) =>
    ctx.deps.chat.changeInbox(ctx.actor, {
      conversationId: input.conversationId,
      change: { kind: "reopen" },
    }),
  ),
  markUnread: staffProcedure
    .input(inboxInput.markUnread)
    .mutation(({ ctx, input }) => ctx.deps.chat.markUnread(ctx.actor, input)),
  officeHours: staffProcedure
    .input(inboxInput.officeHours)
    .query(({ ctx }) => ctx.deps.chat.officeHours(ctx.actor)),
  changeOfficeHours: adminProcedure
    .input(inboxInput.changeOfficeHours)
    .mutation(({ ctx, input }) => ctx.deps.chat.changeOfficeHours(ctx.actor, input)),
  afterHoursNotice: authedProcedure
    .input(inboxInput.afterHoursNotice)
    .query(({ ctx }) => ctx.deps.chat.afterHoursNotice(ctx.actor)),
} satisfies TRPCRouterRecord;
