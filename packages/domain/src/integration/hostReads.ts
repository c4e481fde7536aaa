import type { Appointment } from "../appointments/Appointment";
import { loadActing } from "../people/loadPerson";
import type { Actor, Patient, StaffMember } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { hostAudited } from "./hostAudited";
import type { HostCaller } from "./ports";

/** What the host system reads back of a record it sent, by its own id (INTEG-2). */
export type HostRecord =
  | { readonly kind: "patient"; readonly patient: Patient }
  | { readonly kind: "practitioner"; readonly staff: StaffMember }
  | {
      readonly kind: "appointment";
      readonly appointment: Appointment;
      readonly patientHostId: string | null;
      readonly practitionerHostId: string | null;
    };

/**
 * INTEG-2: a record of the clinic by the host's id; null when there is none, whether it is unknown
 * or another clinic's (ELIG-5). Audited as the credential reading it.
 */
export function findHostRecord(
  deps: ChatDeps,
  caller: HostCaller,
  input: { kind: HostRecord["kind"]; hostId: string },
): Promise<HostRecord | null> {
  return hostAudited(deps, caller, "host.read", async (stores, targets) => {
    const hostId = input.hostId.trim();
    if (input.kind === "patient") {
      const [patient] = await stores.directory.patientsByHostIds([hostId]);
      if (patient) targets.subject = { kind: "patient", id: patient.id };
      return patient ? { kind: "patient", patient } : null;
    }
    if (input.kind === "practitioner") {
      const [staff] = await stores.integration.staffByHostIds([hostId]);
      if (staff) targets.subject = { kind: "staff", id: staff.id };
      return staff ? { kind: "practitioner", staff } : null;
    }
    const [appointment] = await stores.integration.appointmentsByHostIds([hostId]);
    if (!appointment) return null;
    targets.subject = { kind: "patient", id: appointment.patientId };
    const patient = await stores.directory.patient(appointment.patientId);
    const [staff] = await stores.directory.staffMembers([appointment.practitionerId]);
    return {
      kind: "appointment",
      appointment,
      patientHostId: patient?.hostId ?? null,
      practitionerHostId: staff?.hostId ?? null,
    };
  });
}

/**
 * INTEG-3: the patient a deep link of the host names, by the patient's or an appointment's host
 * id, for the staff member following it; the link then opens the chat as the chat icon does
 * (START-1, START-3). Unknown and other clinics' ids are NOT_FOUND alike (ELIG-5). Audited.
 */
export function patientOfHostLink(
  deps: ChatDeps,
  actor: Actor,
  input: { patientHostId?: string | undefined; appointmentHostId?: string | undefined },
): Promise<{ patientId: string }> {
  return audited(deps, actor, "host.open", async (stores, targets) => {
    await loadActing(stores, actor, { as: "staff" });
    const patientHostId = input.patientHostId?.trim();
    const appointmentHostId = input.appointmentHostId?.trim();
    if (!patientHostId === !appointmentHostId)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "patient" });
    let patientId: string | null = null;
    if (patientHostId) {
      const [patient] = await stores.directory.patientsByHostIds([patientHostId]);
      patientId = patient?.id ?? null;
    } else if (appointmentHostId) {
      const [appointment] = await stores.integration.appointmentsByHostIds([appointmentHostId]);
      patientId = appointment?.patientId ?? null;
    }
    if (!patientId) throw new DomainError("NOT_FOUND");
    targets.subject = { kind: "patient", id: patientId };
    return { patientId };
  });
}
