import { type AppointmentView, appointmentViews } from "../appointments/appointmentViews";
import { loadClinic } from "../clinic/loadClinic";
import { audited } from "../shared/audited";
import type { Decision } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor, Patient } from "./people";
import { type PersonView, patientView } from "./personViews";
import { canStartPatientChat } from "./reachability";

/** One row of the patient list. */
export interface PatientListItem {
  readonly person: PersonView;
  readonly portalAccount: Patient["portalAccount"];
  /** The chat icon's state, with the reason when it is disabled (ELIG-1). */
  readonly startChat: Decision;
  /** A legal hold stands on the patient's records (REC-4): the list shows "On hold". */
  readonly legalHold: boolean;
}

/** The patient list, by name, a page at a time (staff only; audited: it names patients). */
export function listPatients(
  deps: ChatDeps,
  actor: Actor,
  input: { limit: number; cursor?: string | null },
): Promise<{ items: PatientListItem[]; nextCursor: string | null }> {
  return audited(deps, actor, "patient.list", async (stores) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 100)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const page = await stores.directory.listPatients({ limit: input.limit, cursor: input.cursor ?? null });
    // A clinic has few holds: one read of them all serves the page, rather than one per patient.
    const held = new Set((await stores.records.holds()).map((hold) => hold.patientId));
    return {
      items: page.items.map((patient) => ({
        person: patientView(patient),
        portalAccount: patient.portalAccount,
        startChat: canStartPatientChat(clinic, me, patient),
        legalHold: held.has(patient.id),
      })),
      nextCursor: page.nextCursor,
    };
  });
}

/** The Patient File: the patient's contact facts, portal state, appointments and the chat icon's state (START-1 entry point 3). */
export interface PatientFile {
  readonly person: PersonView;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsConsent: boolean;
  /** The host system's id (ADMIN-3), when known. */
  readonly hostId: string | null;
  readonly portalAccount: Patient["portalAccount"];
  readonly startChat: Decision;
  readonly appointments: AppointmentView[];
  /** REC-2: when the patient was erased, by whom and why; null for a patient who was not. */
  readonly erasure: {
    readonly at: Date;
    readonly by: { readonly id: string; readonly name: string };
    readonly reason: string;
  } | null;
}

/** Opens a Patient File (staff only; audited as reading the patient's record). */
export function patientFile(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string },
): Promise<PatientFile> {
  return audited(deps, actor, "patient.read", async (stores, targets) => {
    targets.subject = { kind: "patient", id: input.patientId };
    const me = await loadActing(stores, actor, { as: "staff" });
    const patient = await stores.directory.patient(input.patientId);
    if (!patient) throw new DomainError("NOT_FOUND");
    const clinic = await loadClinic(stores, actor.clinicId);
    return {
      person: patientView(patient),
      email: patient.email,
      mobilePhone: patient.mobilePhone,
      smsConsent: patient.smsConsent,
      hostId: patient.hostId ?? null,
      portalAccount: patient.portalAccount,
      startChat: canStartPatientChat(clinic, me, patient),
      appointments: await appointmentViews(
        stores,
        clinic,
        me,
        await stores.appointments.forPatient(patient.id, 50),
      ),
      erasure: patient.erasure
        ? {
            at: patient.erasure.at,
            by: {
              id: patient.erasure.by,
              name: (await stores.directory.staffMember(patient.erasure.by))?.name ?? "",
            },
            reason: patient.erasure.reason,
          }
        : null,
    };
  });
}
