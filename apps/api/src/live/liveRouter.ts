import type { TRPCRouterRecord } from "@trpc/server";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { id } from "../routers/fields";
import { authedProcedure } from "../trpc";

/** An event id as `tracked()` sent it: the event log's bigint id, in decimal. */
const eventId = z.string().regex(/^\d{1,15}$/);

/** Inputs of the live procedures (SEC-6). `lastEventId` is also filled in by the client on reconnect. */
export const liveInput = {
  events: z.strictObject({ lastEventId: eventId.nullish() }).nullish(),
  typing: z.strictObject({ conversationId: id }),
};

/**
 * Live updates: one subscription per signed-in client, over SSE (`httpSubscriptionLink`), carrying
 * new messages, deletions, read state and conversation changes for that person only (MSG-2,
 * MSG-3, DEL-4, ENT-4), resumable from `lastEventId`.
 */
export const liveRouter = {
  events: authedProcedure.input(liveInput.events).subscription(({ ctx, input, signal }) => {
    const live = ctx.deps.live;
    if (!live) throw new TRPCError({ code: "NOT_IMPLEMENTED" });
    return live.events({
      api: ctx.deps,
      session: ctx.session,
      actor: ctx.actor,
      credentials: { cookieHeader: ctx.http?.cookieHeader ?? null },
      lastEventId: input?.lastEventId ? Number(input.lastEventId) : null,
      signal,
    });
  }),
  /**
   * "I am typing in this conversation" (PRODUCT §8): passed on to the other participants' streams
   * in every process, never stored or audited; the client sends it at most every few seconds.
   */
  typing: authedProcedure.input(liveInput.typing).mutation(async ({ ctx, input }) => {
    const live = ctx.deps.live;
    if (!live) throw new TRPCError({ code: "NOT_IMPLEMENTED" });
    await live.announceTyping(ctx.actor, input.conversationId);
  }),
} satisfies TRPCRouterRecord;
