import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "../trpc";
import { id, noInput, singleLine } from "./fields";

/** Inputs of the webhook procedures (SEC-6). The domain decides which addresses it accepts. */
export const webhooksInput = {
  list: noInput,
  register: z.strictObject({ url: singleLine().min(1).max(2000) }),
  setEnabled: z.strictObject({ endpointId: id, enabled: z.boolean() }),
  remove: z.strictObject({ endpointId: id }),
};

/** Clinic Settings › Webhooks (INTEG-4): an admin's endpoints, their delivery logs and switches. */
export const webhooksRouter = {
  list: adminProcedure.input(webhooksInput.list).query(({ ctx }) => ctx.deps.webhooks.list(ctx.actor)),
  register: adminProcedure
    .input(webhooksInput.register)
    .mutation(({ ctx, input }) => ctx.deps.webhooks.register(ctx.actor, input)),
  setEnabled: adminProcedure
    .input(webhooksInput.setEnabled)
    .mutation(({ ctx, input }) => ctx.deps.webhooks.setEnabled(ctx.actor, input)),
  remove: adminProcedure
    .input(webhooksInput.remove)
    .mutation(({ ctx, input }) => ctx.deps.webhooks.remove(ctx.actor, input)),
} satisfies TRPCRouterRecord;
