import type { Clinic } from "../clinic/Clinic";
import type { StaffMember } from "../people/people";
import { type PersonView, patientView, staffView } from "../people/personViews";
import { canStartPatientChat } from "../people/reachability";
import type { Decision } from "../shared/Decision";
import type { Stores } from "../shared/UnitOfWork";
import type { Appointment } from "./Appointment";

/** An appointment as staff see it: who and when, and whether the chat icon can open a chat now. */
export interface AppointmentView {
  readonly id: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: Appointment["status"];
  readonly patient: PersonView;
  readonly practitioner: PersonView;
  /** The chat icon's state (START-1, ELIG-1): a "no" says why it is disabled. */
  readonly startChat: Decision;
}

/** Views of appointments, with the people they involve loaded once each. */
export async function appointmentViews(
  stores: Stores,
  clinic: Clinic,
  viewer: StaffMember,
  list: readonly Appointment[],
): Promise<AppointmentView[]> {
  const staff = new Map(
    (await stores.directory.staffMembers([...new Set(list.map((a) => a.practitionerId))])).map((s) => [
      s.id,
      s,
    ]),
  );
  const patientIds = [...new Set(list.map((a) => a.patientId))];
  const patients = new Map((await stores.directory.patients(patientIds)).map((p) => [p.id, p]));
  const views: AppointmentView[] = [];
  for (const appointment of list) {
    const patient = patients.get(appointment.patientId);
    const practitioner = staff.get(appointment.practitionerId);
    if (!patient || !practitioner) continue;
    views.push({
      id: appointment.id,
      startsAt: appointment.startsAt,
      endsAt: appointment.endsAt,
      status: appointment.status,
      patient: patientView(patient),
      practitioner: staffView(practitioner),
      startChat: canStartPatientChat(clinic, viewer, patient),
    });
  }
  return views;
}
