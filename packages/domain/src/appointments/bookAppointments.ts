import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor, StaffMember } from "../people/people";
import { type AuditTargets, audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { Appointment } from "./Appointment";
import { type AppointmentView, appointmentViews } from "./appointmentViews";

const minute = 60 * 1000;
const day = 24 * 60 * minute;

/** The shortest and longest appointment the book accepts (ADMIN-4), in minutes. */
export const appointmentMinutes = { min: 5, max: 12 * 60 } as const;
/**
 * How far in the past an appointment may start: a visit booked late on its own day is real, one
 * starting days ago is a mistyped date.
 */
export const appointmentPastDays = 1;
/** How far ahead an appointment may start, so a mistyped year is refused. */
export const appointmentFutureDays = 2 * 366;

/** When an appointment starts and ends (UTC instants; the clinic's zone is the web's concern). */
export interface AppointmentTimes {
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** ADMIN-4: starts before it ends, lasts a sensible time, and starts neither long ago nor years ahead. */
export function assertSensibleTimes(deps: Pick<ChatDeps, "clock">, times: AppointmentTimes): void {
  const start = times.startsAt.getTime();
  const end = times.endsAt.getTime();
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "startsAt" });
  if (!(end > start)) throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "endsAt" });
  const minutes = (end - start) / minute;
  if (minutes < appointmentMinutes.min || minutes > appointmentMinutes.max)
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
      field: "endsAt",
      minMinutes: appointmentMinutes.min,
      maxMinutes: appointmentMinutes.max,
    });
  const now = deps.clock.now().getTime();
  if (start < now - appointmentPastDays * day || start > now + appointmentFutureDays * day)
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "startsAt" });
}

/**
 * ADMIN-4: the practitioner is an active practitioner of this clinic. Another clinic's staff are
 * NOT_FOUND, exactly like ids that exist nowhere (ELIG-5).
 */
async function loadPractitioner(stores: Stores, practitionerId: string): Promise<StaffMember> {
  const [practitioner] = await stores.directory.staffMembers([practitionerId]);
  if (!practitioner) throw new DomainError("NOT_FOUND");
  if (practitioner.role !== "practitioner" || !practitioner.active)
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "practitionerId" });
  return practitioner;
}

/**
 * Stores the appointment (a new one, or a change of one still scheduled: CONFLICT when it was
 * cancelled or completed meanwhile) and answers it as staff see it.
 */
async function storeAndView(
  stores: Stores,
  actor: Actor,
  me: StaffMember,
  appointment: Appointment,
  as: "new" | "change",
): Promise<AppointmentView> {
  if (as === "new") await stores.appointments.save(appointment);
  else if (!(await stores.appointments.changeScheduled(appointment))) throw new DomainError("CONFLICT");
  const clinic = await loadClinic(stores, actor.clinicId);
  const [view] = await appointmentViews(stores, clinic, me, [appointment]);
  if (!view) throw new DomainError("NOT_FOUND");
  return view;
}

/** A scheduled appointment of this clinic, or NOT_FOUND; CONFLICT once cancelled or completed. */
async function loadScheduled(
  stores: Stores,
  targets: AuditTargets,
  appointmentId: string,
): Promise<Appointment> {
  const appointment = await stores.appointments.get(appointmentId);
  if (!appointment) throw new DomainError("NOT_FOUND");
  targets.subject = { kind: "patient", id: appointment.patientId };
  if (appointment.status !== "scheduled")
    throw new DomainError("CONFLICT", "CONFLICT", { status: appointment.status });
  return appointment;
}

/** ADMIN-4: staff book an appointment for a patient of the clinic with one of its practitioners (audited, SEC-3). */
export function bookAppointment(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string; practitionerId: string } & AppointmentTimes,
): Promise<AppointmentView> {
  return audited(deps, actor, "appointment.create", async (stores, targets) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const patient = await stores.directory.patient(input.patientId);
    if (!patient) throw new DomainError("NOT_FOUND");
    targets.subject = { kind: "patient", id: patient.id };
    await loadPractitioner(stores, input.practitionerId);
    assertSensibleTimes(deps, input);
    return storeAndView(
      stores,
      actor,
      me,
      {
        id: deps.ids.newId(),
        clinicId: actor.clinicId,
        patientId: patient.id,
        practitionerId: input.practitionerId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        status: "scheduled",
      },
      "new",
    );
  });
}

/** ADMIN-4: staff move a scheduled appointment to a new time, optionally to another practitioner (audited). */
export function moveAppointment(
  deps: ChatDeps,
  actor: Actor,
  input: { appointmentId: string; practitionerId?: string | undefined } & AppointmentTimes,
): Promise<AppointmentView> {
  return audited(deps, actor, "appointment.move", async (stores, targets) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const appointment = await loadScheduled(stores, targets, input.appointmentId);
    const practitionerId = input.practitionerId ?? appointment.practitionerId;
    if (practitionerId !== appointment.practitionerId) await loadPractitioner(stores, practitionerId);
    assertSensibleTimes(deps, input);
    const moved = { ...appointment, practitionerId, startsAt: input.startsAt, endsAt: input.endsAt };
    return storeAndView(stores, actor, me, moved, "change");
  });
}

/** ADMIN-4: staff cancel a scheduled appointment; it stays in the book as cancelled (audited). */
export function cancelAppointment(
  deps: ChatDeps,
  actor: Actor,
  input: { appointmentId: string },
): Promise<AppointmentView> {
  return audited(deps, actor, "appointment.cancel", async (stores, targets) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const appointment = await loadScheduled(stores, targets, input.appointmentId);
    return storeAndView(stores, actor, me, { ...appointment, status: "cancelled" }, "change");
  });
}
