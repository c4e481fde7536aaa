import type { BroadcastAudience, BroadcastView } from "@clinic-chat/domain/broadcasts";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "../trpc";
import { clientId, cursor, id, instant, messageText, noInput, singleLine } from "./fields";

/** The most patients an admin picks one by one for a broadcast. */
const maxSelection = 20_000;

const audience = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("selection"), patientIds: z.array(id).min(1).max(maxSelection) }),
  z.strictObject({ kind: z.literal("practitioner"), practitionerId: id }),
  // Days of the clinic's calendar, first and last included: the domain reads them in its time zone.
  z.strictObject({ kind: z.literal("appointments"), from: z.iso.date(), to: z.iso.date() }),
  z.strictObject({ kind: z.literal("activePortal") }),
]);

const content = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("text"), text: messageText }),
  z.strictObject({ kind: z.literal("file"), fileId: id }),
]);

/** Inputs of the broadcast procedures (SEC-6). */
export const broadcastsInput = {
  preview: z.strictObject({ audience, kind: z.enum(["text", "file"]) }),
  send: z.strictObject({ clientId, content, audience, sendAt: instant.nullable() }),
  cancel: z.strictObject({ broadcastId: id }),
  list: noInput,
  report: z.strictObject({
    broadcastId: id,
    status: z.enum(["waiting", "sent", "skipped", "failed", "cancelled"]).optional(),
    limit: z.int().min(1).max(200),
    cursor: cursor.nullish(),
  }),
  requestFileUpload: z.strictObject({
    fileName: singleLine().min(1).max(1000),
    sizeBytes: z
      .int()
      .min(0)
      .max(2 ** 40),
    contentType: singleLine().min(1).max(255),
  }),
  confirmFile: z.strictObject({ fileId: id }),
};

/** An audience on the wire: its dates as ISO text. */
function audienceOnWire(a: BroadcastAudience) {
  return a.kind === "appointments" ? { ...a, from: a.from.toISOString(), to: a.to.toISOString() } : a;
}

/** A broadcast on the wire: its dates as ISO text, as JSON carries them. */
function onWire(view: BroadcastView) {
  return {
    ...view,
    audience: audienceOnWire(view.audience),
    sendAt: view.sendAt.toISOString(),
    createdAt: view.createdAt.toISOString(),
  };
}

/**
 * Clinic Settings › Broadcasts (BCAST-1): preview, send now or later, cancel, the list and the
 * report per recipient, and the one upload of a broadcast's file. The domain decides who may.
 */
export const broadcastsRouter = {
  // A mutation, though it changes nothing: a selection's ids would otherwise travel in the URL.
  preview: adminProcedure
    .input(broadcastsInput.preview)
    .mutation(({ ctx, input }) => ctx.deps.chat.previewBroadcast(ctx.actor, input)),
  send: adminProcedure
    .input(broadcastsInput.send)
    .mutation(async ({ ctx, input }) => onWire(await ctx.deps.chat.sendBroadcast(ctx.actor, input))),
  cancel: adminProcedure
    .input(broadcastsInput.cancel)
    .mutation(async ({ ctx, input }) => onWire(await ctx.deps.chat.cancelBroadcast(ctx.actor, input))),
  list: adminProcedure
    .input(broadcastsInput.list)
    .query(async ({ ctx }) => (await ctx.deps.chat.listBroadcasts(ctx.actor)).map(onWire)),
  report: adminProcedure.input(broadcastsInput.report).query(async ({ ctx, input }) => {
    const report = await ctx.deps.chat.broadcastReport(ctx.actor, input);
    return { ...report, broadcast: onWire(report.broadcast) };
  }),
  requestFileUpload: adminProcedure
    .input(broadcastsInput.requestFileUpload)
    .mutation(({ ctx, input }) => ctx.deps.chat.requestBroadcastFileUpload(ctx.actor, input)),
  confirmFile: adminProcedure
    .input(broadcastsInput.confirmFile)
    .mutation(({ ctx, input }) => ctx.deps.chat.confirmBroadcastFile(ctx.actor, input)),
} satisfies TRPCRouterRecord;
