import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { authedProcedure } from "../trpc";
import { clientId, id, messageText } from "./fields";

/** Inputs of the message procedures (SEC-6). */
export const messagesInput = {
  send: z.strictObject({ conversationId: id, clientId, text: messageText }),
  delete: z.strictObject({ messageId: id }),
};

/** Messages: sending text (idempotent by client id, MSG-1) and deleting for good (DEL-1, DEL-2). */
export const messagesRouter = {
  send: authedProcedure
    .input(messagesInput.send)
    .mutation(({ ctx, input }) => ctx.deps.sends.send(ctx.actor, input)),
  delete: authedProcedure
    .input(messagesInput.delete)
    .mutation(({ ctx, input }) => ctx.deps.chat.deleteMessage(ctx.actor, input)),
} satisfies TRPCRouterRecord;
