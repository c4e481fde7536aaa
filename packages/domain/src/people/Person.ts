import { allow, type Decision, deny } from "../shared/Decision";
import type { Patient, PersonRef, StaffMember } from "./people";

/** Who is acting, as loaded from the directory: the policies need their state, not only their id. */
export type Person =
  | { readonly kind: "staff"; readonly staff: StaffMember }
  | { readonly kind: "patient"; readonly patient: Patient };

/** ELIG-6: a deactivated staff member or a patient whose portal account is not active can do nothing. */
export function canAct(person: Person): Decision {
  if (person.kind === "staff") return person.staff.active ? allow : deny("STAFF_INACTIVE");
  return person.patient.portalAccount === "active" ? allow : deny("PATIENT_PORTAL_INACTIVE");
}

/** A participant and what the directory says of them (null when not in the clinic's directory). */
export interface ParticipantFacts {
  readonly ref: PersonRef;
  readonly person: Person | null;
}
