import { auditActions, parsePersonKey } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "../trpc";
import { cursor, id, instant } from "./fields";

/** `staff:<id>` or `patient:<id>`: whose actions to show. */
const actorKey = z
  .string()
  .max(100)
  .refine(
    (key) => {
      const person = parsePersonKey(key);
      return person !== null && id.safeParse(person.id).success;
    },
    { error: "expected staff:<id> or patient:<id>" },
  );

/** Inputs of the audit procedures (SEC-6). */
export const auditInput = {
  list: z.strictObject({
    limit: z.int().min(1).max(200),
    cursor: cursor.nullish(),
    action: z.enum(auditActions).nullish(),
    conversationId: id.nullish(),
    actorKey: actorKey.nullish(),
    from: instant.nullish(),
    to: instant.nullish(),
  }),
};

/** The clinic's audit trail for its admins, newest first, with filters (SEC-3). */
export const auditRouter = {
  list: adminProcedure
    .input(auditInput.list)
    .query(({ ctx, input }) => ctx.deps.chat.listAuditTrail(ctx.actor, input)),
} satisfies TRPCRouterRecord;
