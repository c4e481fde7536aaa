import type { TRPCRouterRecord } from "@trpc/server";
import { patientProcedure } from "../trpc";
import { noInput } from "./fields";

/** Inputs of the Patient Portal procedures (SEC-6). */
export const portalInput = {
  chat: noInput,
};

/** The Patient Portal: whether Chat is shown to the signed-in patient and what they may send. */
export const portalRouter = {
  chat: patientProcedure.input(portalInput.chat).query(({ ctx }) => ctx.deps.chat.portalChatView(ctx.actor)),
} satisfies TRPCRouterRecord;
