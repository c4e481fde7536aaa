import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { authOf } from "./auth";
import { id } from "./fields";

/** Inputs of the patient procedures (SEC-6). */
export const patientsInput = {
  invite: z.strictObject({ patientId: id }),
};

/** Patients: inviting one to the Patient Portal (ELIG-1). */
export const patientsRouter = {
  invite: staffProcedure.input(patientsInput.invite).mutation(async ({ ctx, input }) => {
    const { expiresAt } = await authOf(ctx).invitePatient(ctx.actor, input);
    return { invited: true as const, expiresAt: expiresAt.toISOString() };
  }),
} satisfies TRPCRouterRecord;
