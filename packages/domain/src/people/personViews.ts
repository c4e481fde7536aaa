import type { Stores } from "../shared/UnitOfWork";
import { type Patient, type PersonRef, patientName, type StaffMember } from "./people";

/** A person as others see them in a conversation: name and kind, nothing more. */
export interface PersonView {
  readonly kind: "staff" | "patient";
  readonly id: string;
  readonly name: string;
  /** For staff: their role; null for patients. */
  readonly role: StaffMember["role"] | null;
  /** False for deactivated staff and patients without an active portal account. */
  readonly active: boolean;
  /** For patients: their date of birth (YYYY-MM-DD) when known, so namesakes are told apart (ADMIN-5); null for staff. */
  readonly dateOfBirth: string | null;
}

/** The view of a staff member. */
export function staffView(staff: StaffMember): PersonView {
  return {
    kind: "staff",
    id: staff.id,
    name: staff.name,
    role: staff.role,
    active: staff.active,
    dateOfBirth: null,
  };
}

/** The view of a patient. */
export function patientView(patient: Patient): PersonView {
  return {
    kind: "patient",
    id: patient.id,
    name: patientName(patient),
    role: null,
    active: patient.portalAccount === "active",
    dateOfBirth: patient.dateOfBirth ?? null,
  };
}

/** Views of the given people of the current clinic; unknown ones are left out. */
export async function personViews(stores: Stores, people: readonly PersonRef[]): Promise<PersonView[]> {
  const staffIds = [...new Set(people.filter((p) => p.kind === "staff").map((p) => p.id))];
  const patientIds = [...new Set(people.filter((p) => p.kind === "patient").map((p) => p.id))];
  const staff = await stores.directory.staffMembers(staffIds);
  const patients = await stores.directory.patients(patientIds);
  return [...staff.map(staffView), ...patients.map(patientView)];
}
