import { longestQuery, maxSearchPage } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { cursor, id, singleLine } from "./fields";

/** Inputs of message search (SEC-6): the query is checked for its words by the use case. */
export const searchInput = {
  messages: z.strictObject({
    query: singleLine().min(1).max(longestQuery),
    conversationId: id.nullish(),
    cursor: cursor.nullish(),
    limit: z.int().min(1).max(maxSearchPage).default(20),
  }),
};

/**
 * Message search (SRCH-1): staff only; the use case decides which conversations each may read. A
 * mutation, though it changes nothing but the audit trail: its input travels in the request's body,
 * so the searched words never stand in a URL (SEC-5), where proxies and access logs keep them.
 */
export const searchRouter = {
  messages: staffProcedure
    .input(searchInput.messages)
    .mutation(({ ctx, input }) => ctx.deps.chat.searchMessages(ctx.actor, input)),
} satisfies TRPCRouterRecord;
