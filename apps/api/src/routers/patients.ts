import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { adminProcedure, staffProcedure } from "../trpc";
import { authOf } from "./auth";
import { id, multiLine, singleLine } from "./fields";
import { patientCsvMaxChars, readPatientCsv } from "./patientCsv";

// The edge only stops absurd sizes; the domain judges each field and says which is wrong (ADMIN-3).
const patientDetails = z.strictObject({
  name: singleLine().max(1000),
  dateOfBirth: singleLine().max(100),
  email: singleLine().max(1000).nullish(),
  mobilePhone: singleLine().max(100).nullish(),
  smsConsent: z.boolean(),
  hostId: singleLine().max(1000).nullish(),
});
const patientCsv = z.strictObject({ csv: multiLine().min(1).max(patientCsvMaxChars) });

/** Inputs of the patient procedures (SEC-6). */
export const patientsInput = {
  invite: z.strictObject({ patientId: id }),
  list: z.strictObject({
    limit: z.int().min(1).max(100),
    // Opaque, from the previous page; it holds a name, so it travels in a body only (see `list`).
    cursor: singleLine().min(1).max(500).nullish(),
  }),
  get: z.strictObject({ patientId: id }),
  add: patientDetails,
  edit: z.strictObject({ patientId: id, details: patientDetails }),
  setPortalAccess: z.strictObject({ patientId: id, enabled: z.boolean() }),
  importPreview: patientCsv,
  importConfirm: patientCsv,
};

/**
 * Patients: the patient list, the Patient File (§3, entry point 3), Patient Portal invitations
 * (ELIG-1), adding, editing and disabling patients and importing them from CSV (ADMIN-3). The CSV
 * is read here, at the edge; the domain judges its rows. The preview and the import both take the
 * whole file, so nothing is kept between them and nothing is written before the import.
 */
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
  add: staffProcedure
    .input(patientsInput.add)
    .mutation(({ ctx, input }) => ctx.deps.chat.addPatient(ctx.actor, input)),
  edit: staffProcedure
    .input(patientsInput.edit)
    .mutation(({ ctx, input }) => ctx.deps.chat.editPatient(ctx.actor, input)),
  setPortalAccess: staffProcedure
    .input(patientsInput.setPortalAccess)
    .mutation(({ ctx, input }) => ctx.deps.chat.setPortalAccess(ctx.actor, input)),
  importPreview: adminProcedure.input(patientsInput.importPreview).mutation(async ({ ctx, input }) => {
    const file = readPatientCsv(input.csv);
    if (!file.ok) return { file: file.problem, preview: null };
    return { file: null, preview: await ctx.deps.chat.previewPatientImport(ctx.actor, { rows: file.rows }) };
  }),
  importConfirm: adminProcedure.input(patientsInput.importConfirm).mutation(async ({ ctx, input }) => {
    const file = readPatientCsv(input.csv);
    if (!file.ok) return { file: file.problem, imported: null };
    return { file: null, imported: await ctx.deps.chat.importPatients(ctx.actor, { rows: file.rows }) };
  }),
} satisfies TRPCRouterRecord;
