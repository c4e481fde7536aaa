import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { type AppointmentView, appointmentViews } from "./appointmentViews";

/** Longest span the appointment list shows at once, in days. */
export const maxAppointmentRangeDays = 31;

/** The appointment list: appointments starting in [from, to), earliest first, for staff (audited: it names patients). */
export function listAppointments(
  deps: ChatDeps,
  actor: Actor,
  input: { from: Date; to: Date; limit: number },
): Promise<AppointmentView[]> {
  return audited(deps, actor, "appointment.list", async (stores) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const span = input.to.getTime() - input.from.getTime();
    if (!(span > 0) || span > maxAppointmentRangeDays * 24 * 60 * 60 * 1000) {
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
        field: "to",
        maxDays: maxAppointmentRangeDays,
      });
    }
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 500)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit" });
    const clinic = await loadClinic(stores, actor.clinicId);
    return appointmentViews(stores, clinic, me, await stores.appointments.between(input));
  });
}

/** Appointment Details: one appointment, with the chat icon's state (START-1 entry point 2). */
export function appointmentDetails(
  deps: ChatDeps,
  actor: Actor,
  input: { appointmentId: string },
): Promise<AppointmentView> {
  return audited(deps, actor, "appointment.read", async (stores, targets) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const appointment = await stores.appointments.get(input.appointmentId);
    if (!appointment) throw new DomainError("NOT_FOUND");
    targets.subject = { kind: "patient", id: appointment.patientId };
    const clinic = await loadClinic(stores, actor.clinicId);
    const [view] = await appointmentViews(stores, clinic, me, [appointment]);
    if (!view) throw new DomainError("NOT_FOUND");
    return view;
  });
}
