import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { authOf } from "./auth";
import { id, singleLine } from "./fields";

/** Inputs of the patient procedures (SEC-6). */
export const patientsInput = {
  invite: z.strictObject({ patientId: id }),
  list: z.strictObject({
    limit: z.int().min(1).max(100),
    // Opaque, from the previous page; it holds a name, so it travels in a body only (see `list`).
    cursor: singleLine().min(1).max(500).nullish(),
  }),
  get: z.strictObject({ patientId: id }),
};

/** Patients: the patient list, the Patient File (§3, entry point 3) and Patient Portal invitations (ELIG-1). */
export const patientsRouter = {
  invite: staffProcedure.input(patientsInput.invite).mutation(async ({ ctx, input }) => {
    const { expiresAt } = await authOf(ctx).invitePatient(ctx.actor, input);
    return { invited: true as const, expiresAt: expiresAt.toISOString() };
  }),
  // A mutation, though it changes nothing: queries travel as GET with their input in the URL, and
  // the page cursor is the last patient's name in disguise (SEC-5: no PHI in URLs).
  list: staffProcedure
    .input(patientsInput.list)
    .mutation(({ ctx, input }) => ctx.deps.chat.listPatients(ctx.actor, input)),
  get: staffProcedure
    .input(patientsInput.get)
    .query(({ ctx, input }) => ctx.deps.chat.patientFile(ctx.actor, input)),
} satisfies TRPCRouterRecord;
