import { maxConversationPage, maxHistoryPage, maxTeamChatMembers } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { exportConversationBundle } from "../export/conversationBundle";
import { authedProcedure, patientProcedure, staffProcedure } from "../trpc";
import { cursor, id, seq, singleLine } from "./fields";

/** Inputs of the conversation procedures (SEC-6). */
export const conversationsInput = {
  list: z.strictObject({
    limit: z.int().min(1).max(maxConversationPage),
    cursor: cursor.nullish(),
  }),
  open: z.strictObject({ conversationId: id }),
  exportForChart: z.strictObject({ conversationId: id }),
  startWithPatient: z.strictObject({ patientId: id }),
  startTeam: z.strictObject({ staffIds: z.array(id).min(1).max(maxTeamChatMembers) }),
  patientStart: z.strictObject({ practitionerId: id }),
  addParticipant: z.strictObject({ conversationId: id, staffId: id }),
  // The name's rules (length, white space) are the domain's; this only bounds the request.
  rename: z.strictObject({ conversationId: id, name: singleLine().max(500) }),
  markRead: z.strictObject({ conversationId: id, upToSeq: seq }),
  history: z.strictObject({
    conversationId: id,
    beforeSeq: seq.min(1).nullish(),
    limit: z.int().min(1).max(maxHistoryPage),
  }),
};

/** Conversations: the list with unread counts, opening one, its history, starting chats, membership, read markers. */
export const conversationsRouter = {
  list: authedProcedure
    .input(conversationsInput.list)
    .query(({ ctx, input }) => ctx.deps.chat.listConversations(ctx.actor, input)),
  open: authedProcedure
    .input(conversationsInput.open)
    .query(({ ctx, input }) => ctx.deps.chat.openConversation(ctx.actor, input)),
  // INTEG-5: the conversation as a FHIR R4 Bundle, downloaded by the staff app.
  exportForChart: staffProcedure
    .input(conversationsInput.exportForChart)
    .query(({ ctx, input }) => exportConversationBundle(ctx.deps.chat, ctx.actor, input.conversationId)),
  history: authedProcedure
    .input(conversationsInput.history)
    .query(({ ctx, input }) => ctx.deps.chat.readHistory(ctx.actor, input)),
  startWithPatient: staffProcedure
    .input(conversationsInput.startWithPatient)
    .mutation(({ ctx, input }) => ctx.deps.chat.startPatientChat(ctx.actor, input)),
  startTeam: staffProcedure
    .input(conversationsInput.startTeam)
    .mutation(({ ctx, input }) => ctx.deps.chat.startTeamChat(ctx.actor, input)),
  patientStart: patientProcedure
    .input(conversationsInput.patientStart)
    .mutation(({ ctx, input }) => ctx.deps.chat.patientStartChat(ctx.actor, input)),
  addParticipant: staffProcedure
    .input(conversationsInput.addParticipant)
    .mutation(({ ctx, input }) => ctx.deps.chat.addParticipant(ctx.actor, input)),
  rename: staffProcedure
    .input(conversationsInput.rename)
    .mutation(({ ctx, input }) => ctx.deps.chat.renameConversation(ctx.actor, input)),
  markRead: authedProcedure
    .input(conversationsInput.markRead)
    .mutation(({ ctx, input }) => ctx.deps.chat.markRead(ctx.actor, input)),
} satisfies TRPCRouterRecord;
