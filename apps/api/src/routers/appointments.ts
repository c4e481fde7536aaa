import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { staffProcedure } from "../trpc";
import { id, instant } from "./fields";

/** Inputs of the appointment procedures (SEC-6). The domain keeps the range to a month and judges the times (ADMIN-4). */
export const appointmentsInput = {
  list: z.strictObject({ from: instant, to: instant, limit: z.int().min(1).max(500) }),
  get: z.strictObject({ appointmentId: id }),
  create: z.strictObject({ patientId: id, practitionerId: id, startsAt: instant, endsAt: instant }),
  move: z.strictObject({
    appointmentId: id,
    practitionerId: id.optional(),
    startsAt: instant,
    endsAt: instant,
  }),
  cancel: z.strictObject({ appointmentId: id }),
};

/**
 * The appointment list and Appointment Details, whose chat icon opens the patient's chat (§3, entry
 * point 2), and the appointment book's changes (ADMIN-4).
 */
export const appointmentsRouter = {
  list: staffProcedure
    .input(appointmentsInput.list)
    .query(({ ctx, input }) => ctx.deps.chat.listAppointments(ctx.actor, input)),
  get: staffProcedure
    .input(appointmentsInput.get)
    .query(({ ctx, input }) => ctx.deps.chat.appointmentDetails(ctx.actor, input)),
  create: staffProcedure
    .input(appointmentsInput.create)
    .mutation(({ ctx, input }) => ctx.deps.chat.bookAppointment(ctx.actor, input)),
  move: staffProcedure
    .input(appointmentsInput.move)
    .mutation(({ ctx, input }) => ctx.deps.chat.moveAppointment(ctx.actor, input)),
  cancel: staffProcedure
    .input(appointmentsInput.cancel)
    .mutation(({ ctx, input }) => ctx.deps.chat.cancelAppointment(ctx.actor, input)),
} satisfies TRPCRouterRecord;
