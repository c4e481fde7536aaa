import { createHash } from "node:crypto";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { newToken } from "../auth/secrets";
import { clientIdOf } from "../fhir/accessTokens";
import { adminProcedure, staffProcedure } from "../trpc";
import { id, noInput, singleLine } from "./fields";

/** Inputs of the integration procedures (SEC-6). */
export const integrationInput = {
  credentials: noInput,
  createCredential: z.strictObject({ name: singleLine().min(1).max(200) }),
  revokeCredential: z.strictObject({ credentialId: id }),
  // INTEG-3: a deep link names the patient or the appointment by the host's token `system|value`.
  openByHostId: z.strictObject({
    patient: singleLine().min(1).max(2000).optional(),
    appointment: singleLine().min(1).max(2000).optional(),
  }),
};

/** The host's id in a token `system|value`: the value (Clinic Chat keeps one host id, ADMIN-3). */
function hostIdOf(token: string | undefined): string | undefined {
  return token === undefined ? undefined : token.slice(token.indexOf("|") + 1);
}

/**
 * Clinic Settings › Integrations (INTEG-1): API credentials of the clinic, and the deep links of
 * the host's "Chat" icons (INTEG-3). A new credential's secret is made here, shown once, and only
 * its SHA-256 reaches the domain.
 */
export const integrationRouter = {
  credentials: adminProcedure
    .input(integrationInput.credentials)
    .query(({ ctx }) => ctx.deps.chat.listApiCredentials(ctx.actor)),
  createCredential: adminProcedure
    .input(integrationInput.createCredential)
    .mutation(async ({ ctx, input }) => {
      const secret = newToken();
      const credential = await ctx.deps.chat.createApiCredential(ctx.actor, {
        name: input.name,
        secretDigest: createHash("sha256").update(secret, "utf8").digest("hex"),
      });
      return { credential, clientId: clientIdOf(ctx.actor.clinicId, credential.id), clientSecret: secret };
    }),
  revokeCredential: adminProcedure
    .input(integrationInput.revokeCredential)
    .mutation(({ ctx, input }) => ctx.deps.chat.revokeApiCredential(ctx.actor, input)),
  openByHostId: staffProcedure
    .input(integrationInput.openByHostId)
    .mutation(({ ctx, input }) =>
      ctx.deps.chat.patientOfHostLink(
        ctx.actor,
        "patient" in input
          ? { patientHostId: hostIdOf(input.patient) }
          : { appointmentHostId: hostIdOf(input.appointment) },
      ),
    ),
} satisfies TRPCRouterRecord;
