import { audited } from "../../shared/audited";
import { DomainError } from "../../shared/DomainError";
import type { ChatDeps } from "../../shared/deps";
import type { Stores } from "../../shared/UnitOfWork";
import { loadActing } from "../loadPerson";
import type { Actor, Patient } from "../people";
import { checkPatientDetails, type PatientDetails, type PatientDetailsInput } from "./patientDetails";

/**
 * Staff add a patient (ADMIN-3): every active staff member may, as the front desk registers
 * patients. The patient starts without a portal account; inviting them is a separate step.
 */
export function addPatient(
  deps: ChatDeps,
  actor: Actor,
  input: PatientDetailsInput,
): Promise<{ patientId: string }> {
  return audited(deps, actor, "patient.add", async (stores, targets) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    const details = await checkedDetails(stores, input, deps.clock.now(), null);
    const patient: Patient = {
      id: deps.ids.newId(),
      clinicId: me.clinicId,
      ...details,
      portalAccount: "none",
    };
    targets.subject = { kind: "patient", id: patient.id };
    await stores.directory.savePatient(patient);
    return { patientId: patient.id };
  });
}

/** Staff edit a patient's details (ADMIN-3); the portal account is left as it is. */
export function editPatient(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string; details: PatientDetailsInput },
): Promise<{ patientId: string }> {
  return audited(deps, actor, "patient.edit", async (stores, targets) => {
    targets.subject = { kind: "patient", id: input.patientId };
    await loadActing(stores, actor, { as: "staff" });
    const patient = await stores.directory.patient(input.patientId);
    if (!patient || patient.erasure) throw new DomainError("NOT_FOUND");
    const details = await checkedDetails(stores, input.details, deps.clock.now(), patient.id);
    await stores.directory.savePatient({ ...patient, ...details });
    return { patientId: patient.id };
  });
}

/**
 * Disables or re-enables a patient's portal account (ADMIN-3, ELIG-6). Disabling ends what the
 * account may do at once: every session check and live stream judges the patient afresh and ends
 * for an account that is not active. Only an active account can be disabled (an invitation not yet
 * accepted has no account to end), and only a disabled one re-enabled.
 */
export function setPortalAccess(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string; enabled: boolean },
): Promise<{ portalAccount: Patient["portalAccount"] }> {
  return audited(
    deps,
    actor,
    input.enabled ? "patient.portal_enable" : "patient.portal_disable",
    async (stores, targets) => {
      targets.subject = { kind: "patient", id: input.patientId };
      await loadActing(stores, actor, { as: "staff" });
      const patient = await stores.directory.patient(input.patientId);
      if (!patient || patient.erasure) throw new DomainError("NOT_FOUND");
      const from = input.enabled ? "disabled" : "active";
      if (patient.portalAccount !== from)
        throw new DomainError("CONFLICT", "CONFLICT", { portalAccount: patient.portalAccount });
      const portalAccount = input.enabled ? "active" : "disabled";
      await stores.directory.savePatient({ ...patient, portalAccount });
      return { portalAccount };
    },
  );
}

/** The details checked, and the host id free for this patient (`self`, or null for a new one). */
async function checkedDetails(
  stores: Stores,
  input: PatientDetailsInput,
  today: Date,
  self: string | null,
): Promise<PatientDetails> {
  const checked = checkPatientDetails(input, today);
  if (!checked.ok) {
    const [first] = checked.problems;
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: first!.field, problem: first!.problem });
  }
  const { hostId } = checked.details;
  if (hostId !== null) {
    await stores.directory.reserveHostIds();
    const holders = await stores.directory.patientsByHostIds([hostId]);
    if (holders.some((holder) => holder.id !== self))
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "hostId", problem: "taken" });
  }
  return checked.details;
}
