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

/** Message search (SRCH-1): staff only; the use case decides which conversations each may read. */
export const searchRouter = {
  messages: staffProcedure
    .input(searchInput.messages)
    .query(({ ctx, input }) => ctx.deps.chat.searchMessages(ctx.actor, input)),
} satisfies TRPCRouterRecord;
