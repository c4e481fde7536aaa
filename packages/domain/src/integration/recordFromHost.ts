import type { Appointment } from "../appointments/Appointment";
import { assertSensibleTimes } from "../appointments/bookAppointments";
import type { Patient, StaffMember } from "../people/people";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { hostAudited } from "./hostAudited";
import {
  type HostItem,
  type HostPatient,
  type HostPractitioner,
  type HostProblem,
  type HostResult,
  type HostRole,
  judgeHostPatients,
  judgeHostRoles,
  judgeHostStaff,
} from "./hostPeople";
import type { HostCaller } from "./ports";

/** An appointment as the host system records it, naming its patient and practitioner by the host's ids. */
export interface HostAppointment extends HostItem {
  readonly hostId: string;
  readonly patientHostId: string;
  readonly practitionerHostId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: Appointment["status"];
}

/** What the host system records in one call: a single resource, or a whole bulk load. */
export interface HostRecords {
  readonly patients: readonly HostPatient[];
  readonly practitioners: readonly HostPractitioner[];
  readonly appointments: readonly HostAppointment[];
  /** Roles of practitioners recorded in this call or before (PractitionerRole). */
  readonly roles?: readonly HostRole[];
}

/** The most items one call may record: a bulk load arrives in parts of this size (INTEG-2). */
export const hostRecordLimits = { items: 5000, hostId: 64 } as const;

/** Either every item recorded, or every problem of every refused item and nothing written. */
export type RecordOutcome =
  | { readonly ok: true; readonly results: HostResult[] }
  | { readonly ok: false; readonly problems: HostProblem[] };

/**
 * INTEG-2: the host system records patients, practitioners, their roles and appointments by its
 * own ids, all or nothing. Patients go through the CSV import's judgement (ADMIN-3), with SMS consent and the
 * portal account left as the clinic keeps them; appointments keep the staff pages' rules
 * (ADMIN-4). An appointment may name people recorded in the same call. Re-recording what is
 * already there writes nothing.
 */
export function recordFromHost(
  deps: ChatDeps,
  caller: HostCaller,
  input: HostRecords,
): Promise<RecordOutcome> {
  return hostAudited(deps, caller, "host.record", async (stores, targets) => {
    const roleItems = input.roles ?? [];
    const total =
      input.patients.length + input.practitioners.length + input.appointments.length + roleItems.length;
    if (total === 0 || total > hostRecordLimits.items)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
        field: "items",
        problem: total === 0 ? "missing" : "too_many",
        limit: hostRecordLimits.items,
      });
    await stores.directory.reserveHostIds();
    const patients = await judgeHostPatients(stores, deps, caller.clinicId, input.patients);
    const staff = await judgeHostStaff(stores, deps, caller.clinicId, input.practitioners);
    const roles = await judgeHostRoles(stores, roleItems, staff.byHostId, staff.changed);
    const appointments = await judgeHostAppointments(stores, deps, caller.clinicId, input.appointments, {
      patients: patients.byHostId,
      staff: staff.byHostId,
    });
    const problems = [...patients.problems, ...staff.problems, ...roles.problems, ...appointments.problems];
    if (problems.length > 0) {
      targets.denied = "INVALID_INPUT";
      return { ok: false, problems: problems.sort((a, b) => a.at - b.at) };
    }
    if (patients.changed.length > 0) await stores.directory.savePatients(patients.changed);
    for (const member of staff.changed) await stores.directory.saveStaff(member);
    if (appointments.changed.length > 0) await stores.integration.saveAppointments(appointments.changed);
    const results = [...patients.results, ...staff.results, ...roles.results, ...appointments.results];
    return { ok: true, results: results.sort((a, b) => a.at - b.at) };
  });
}

async function judgeHostAppointments(
  stores: Stores,
  deps: Pick<ChatDeps, "ids" | "clock">,
  clinicId: string,
  items: readonly HostAppointment[],
  recorded: { patients: Map<string, Patient>; staff: Map<string, StaffMember> },
): Promise<{ problems: HostProblem[]; changed: Appointment[]; results: HostResult[] }> {
  if (items.length === 0) return { problems: [], changed: [], results: [] };
  const existing = new Map(
    (await stores.integration.appointmentsByHostIds([...new Set(items.map((i) => i.hostId.trim()))])).map(
      (a) => [a.hostId, a],
    ),
  );
  const wantedPatients = items.map((i) => i.patientHostId.trim()).filter((id) => !recorded.patients.has(id));
  const wantedStaff = items.map((i) => i.practitionerHostId.trim()).filter((id) => !recorded.staff.has(id));
  for (const p of await stores.directory.patientsByHostIds([...new Set(wantedPatients)]))
    if (p.hostId) recorded.patients.set(p.hostId, p);
  for (const s of await stores.integration.staffByHostIds([...new Set(wantedStaff)]))
    if (s.hostId) recorded.staff.set(s.hostId, s);
  const problems: HostProblem[] = [];
  const changed: Appointment[] = [];
  const results: HostResult[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const refuse = (field: string, problem: string) => problems.push({ at: item.at, field, problem });
    const hostId = item.hostId.trim();
    if (hostId === "") refuse("hostId", "missing");
    else if ([...hostId].length > hostRecordLimits.hostId) refuse("hostId", "too_long");
    else if (seen.has(hostId)) refuse("hostId", "repeated");
    seen.add(hostId);
    // Unknown and other clinics' people are the same "unknown" (ELIG-5).
    const patient = recorded.patients.get(item.patientHostId.trim());
    if (!patient) refuse("patient", "unknown");
    const practitioner = recorded.staff.get(item.practitionerHostId.trim());
    if (!practitioner) refuse("practitioner", "unknown");
    else if (practitioner.role !== "practitioner" || !practitioner.active)
      refuse("practitioner", "not_a_practitioner");
    const before = existing.get(hostId);
    const sameTimes =
      before?.startsAt.getTime() === item.startsAt.getTime() &&
      before?.endsAt.getTime() === item.endsAt.getTime();
    // ADMIN-4's times hold for what the host books or moves; an appointment already in the book
    // may be re-sent, cancelled or completed after its day.
    if (!sameTimes) {
      try {
        assertSensibleTimes(deps, item);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        refuse(String(error.details.field ?? "startsAt"), "not_sensible");
      }
    }
    if (!patient || !practitioner || problems.some((p) => p.at === item.at)) continue;
    const appointment: Appointment = {
      id: before?.id ?? deps.ids.newId(),
      clinicId,
      patientId: patient.id,
      practitionerId: practitioner.id,
      startsAt: item.startsAt,
      endsAt: item.endsAt,
      status: item.status,
      hostId,
    };
    const same =
      before &&
      sameTimes &&
      before.patientId === appointment.patientId &&
      before.practitionerId === appointment.practitionerId &&
      before.status === appointment.status;
    if (!same) changed.push(appointment);
    results.push({
      at: item.at,
      id: appointment.id,
      outcome: !before ? "add" : same ? "unchanged" : "update",
    });
  }
  return { problems, changed, results };
}
