/** A staff member's role in the clinic. Only an `admin` changes clinic settings or deletes others' messages. */
export const staffRoles = ["admin", "practitioner", "staff"] as const;
/** One staff role. */
export type StaffRole = (typeof staffRoles)[number];

/** A member of the clinic's staff. */
export interface StaffMember {
  readonly id: string;
  readonly clinicId: string;
  readonly name: string;
  readonly email: string;
  readonly role: StaffRole;
  /** Deactivated staff can no longer read or send (ELIG-6); their past messages stay. */
  readonly active: boolean;
  /** My Account › Scheduling Preferences › "Available for Chat with Patients" (ELIG-2), default on. */
  readonly availableForPatientChat: boolean;
  /** Email notifications for patient messages; staff may turn them off (NOTIF-3). */
  readonly emailNotifications: boolean;
  /** The host system's id for this staff member, unique in the clinic (INTEG-2). */
  readonly hostId?: string | null;
}

/** The states of a patient's Patient Portal account. Only `active` can receive messages and files (ELIG-1). */
export const portalAccountStates = ["none", "invited", "active", "disabled"] as const;
/** One portal account state. */
export type PortalAccountState = (typeof portalAccountStates)[number];

/** A patient of one clinic. */
export interface Patient {
  readonly id: string;
  readonly clinicId: string;
  readonly name: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsConsent: boolean;
  readonly portalAccount: PortalAccountState;
  /**
   * The date of birth as an ISO date (YYYY-MM-DD), shown wherever staff see the patient so
   * namesakes are told apart (ADMIN-5); null for patients recorded before it was kept.
   */
  readonly dateOfBirth?: string | null;
  /** The host system's id for this patient, unique in the clinic; re-imports update by it (ADMIN-3). */
  readonly hostId?: string | null;
  /**
   * REC-2: set once an admin erased the patient. The record is then a tombstone: no name, contact
   * details, date of birth or host id, no portal account; it stays so conversations and the audit
   * trail still point somewhere.
   */
  readonly erasure?: PatientErasure | null;
}

/** Who erased a patient, when and why (REC-2); the reason is the clinic's note for its admins. */
export interface PatientErasure {
  readonly at: Date;
  /** The admin who erased them. */
  readonly by: string;
  readonly reason: string;
}

/** What staff see in place of an erased patient's name (REC-2). */
export const erasedPatientName = "Erased patient";

/** The name staff see for a patient: theirs, or {@link erasedPatientName} once erased (REC-2). */
export function patientName(patient: Patient): string {
  return patient.erasure ? erasedPatientName : patient.name;
}

/** Who a participant, sender or reader is: a staff member or a patient, by id. */
export type PersonRef =
  | { readonly kind: "staff"; readonly id: string }
  | { readonly kind: "patient"; readonly id: string };

/** Who is calling a use case: a signed-in person of one clinic, and where the request came from (SEC-3). */
export interface Actor {
  readonly clinicId: string;
  readonly person: PersonRef;
  /** The client's address, for the audit trail. */
  readonly ip?: string | null;
}

/** True when two refs name the same person. */
export function samePerson(a: PersonRef, b: PersonRef): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/** A stable string for a person, used as a map key and in storage (`staff:ID`, `patient:ID`). */
export function personKey(ref: PersonRef): string {
  return `${ref.kind}:${ref.id}`;
}

/** The inverse of {@link personKey}; null for anything else. */
export function parsePersonKey(key: string): PersonRef | null {
  const i = key.indexOf(":");
  const kind = key.slice(0, i);
  const id = key.slice(i + 1);
  if (i < 1 || id.length === 0) return null;
  return kind === "staff" || kind === "patient" ? { kind, id } : null;
}
