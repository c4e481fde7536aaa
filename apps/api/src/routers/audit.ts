import { auditActions, parsePersonKey } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure } from "../trpc";
import { auditCsv } from "./auditCsv";
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

/** A date of the clinic's calendar; the domain checks it is a real day. */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected YYYY-MM-DD" });

/** The trail's filters (REC-6): action, conversation, person, patient, and a range of instants or of days. */
const filters = {
  action: z.enum(auditActions).nullish(),
  conversationId: id.nullish(),
  actorKey: actorKey.nullish(),
  patientId: id.nullish(),
  from: instant.nullish(),
  to: instant.nullish(),
  fromDay: day.nullish(),
  toDay: day.nullish(),
};

/** Inputs of the audit procedures (SEC-6). */
export const auditInput = {
  list: z.strictObject({ limit: z.int().min(1).max(200), cursor: cursor.nullish(), ...filters }),
  export: z.strictObject(filters),
};

/** The clinic's audit trail for its admins, newest first, with names and filters (SEC-3, REC-6). */
export const auditRouter = {
  list: adminProcedure
    .input(auditInput.list)
    .query(({ ctx, input }) => ctx.deps.chat.listAuditTrail(ctx.actor, input)),
  /** The filtered trail as a CSV file's text; exporting is audited (`audit.export`). */
  export: adminProcedure.input(auditInput.export).mutation(async ({ ctx, input }) => {
    const page = await ctx.deps.chat.exportAuditTrail(ctx.actor, input);
    return { csv: auditCsv(page), records: page.items.length };
  }),
} satisfies TRPCRouterRecord;
