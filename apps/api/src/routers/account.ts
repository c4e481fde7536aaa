import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { noInput } from "./fields";

/** Inputs of the account procedures (SEC-6). */
export const accountInput = {
  settings: noInput,
  setEmailNotifications: z.strictObject({ enabled: z.boolean() }),
};

/** My Account for staff: my role and preferences, and my chat emails on or off (NOTIF-3). */
export const accountRouter = {
  settings: staffProcedure
    .input(accountInput.settings)
    .query(({ ctx }) => ctx.deps.chat.accountSettings(ctx.actor)),
  setEmailNotifications: staffProcedure
    .input(accountInput.setEmailNotifications)
    .mutation(({ ctx, input }) => ctx.deps.chat.setEmailNotifications(ctx.actor, input)),
} satisfies TRPCRouterRecord;
