import { maxSearchResults } from "@clinic-chat/domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { patientProcedure, staffProcedure } from "../trpc";
import { noInput, singleLine } from "./fields";

/** Inputs of the people procedures (SEC-6). */
export const peopleInput = {
  search: z.strictObject({
    kind: z.enum(["patient", "staff"]),
    query: singleLine().min(1).max(100),
    limit: z.int().min(1).max(maxSearchResults),
  }),
  availablePractitioners: noInput,
  teammates: noInput,
  setAvailability: z.strictObject({ available: z.boolean() }),
};

/** People: name search for staff, the practitioners a patient may start a chat with, the availability toggle. */
export const peopleRouter = {
  // A mutation, though it changes nothing: queries travel as GET with their input in the URL, and
  // the query here is a name (SEC-5: no PHI in URLs).
  search: staffProcedure
    .input(peopleInput.search)
    .mutation(({ ctx, input }) => ctx.deps.chat.searchPeople(ctx.actor, input)),
  teammates: staffProcedure
    .input(peopleInput.teammates)
    .query(({ ctx }) => ctx.deps.chat.teammates(ctx.actor)),
  availablePractitioners: patientProcedure
    .input(peopleInput.availablePractitioners)
    .query(({ ctx }) => ctx.deps.chat.availablePractitioners(ctx.actor)),
  setAvailability: staffProcedure
    .input(peopleInput.setAvailability)
    .mutation(({ ctx, input }) => ctx.deps.chat.setAvailability(ctx.actor, input)),
} satisfies TRPCRouterRecord;
