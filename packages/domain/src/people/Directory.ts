import type { Patient, StaffMember } from "./people";

/** One result of a name search. */
export interface DirectoryMatch<T> {
  readonly person: T;
  /** How well the name matched, 0 to 1; results come best first. */
  readonly score: number;
}

/** People of the current clinic: look-up by id, and prefix- and typo-tolerant name search (START-2). */
export interface Directory {
  staffMember(id: string): Promise<StaffMember | null>;
  patient(id: string): Promise<Patient | null>;
  /** Many staff at once; unknown ids are left out. */
  staffMembers(ids: readonly string[]): Promise<StaffMember[]>;
  /** Many patients at once, in the order asked; unknown ids are left out. */
  patients(ids: readonly string[]): Promise<Patient[]>;
  /** Patients whose name matches `query` by prefix or with small typos, best first. */
  searchPatients(query: string, limit: number): Promise<DirectoryMatch<Patient>[]>;
  /** Staff whose name matches `query`, best first (active and deactivated; callers filter). */
  searchStaff(query: string, limit: number): Promise<DirectoryMatch<StaffMember>[]>;
  /** A page of the clinic's patients ordered by name (the patient list); the cursor is opaque. */
  listPatients(page: {
    limit: number;
    cursor?: string | null;
  }): Promise<{ items: Patient[]; nextCursor: string | null }>;
  /**
   * The candidates to offer patients for a new chat, by name: at least every practitioner ELIG-2
   * offers. A store may narrow them (active practitioners with availability on) so few rows are
   * read; `offeredToPatients` decides who of them is offered.
   */
  availablePractitioners(): Promise<StaffMember[]>;
  /** The clinic's active staff by name: the team a staff member browses to pick teammates. */
  activeStaff(): Promise<StaffMember[]>;
  /** Adds a staff member, or replaces the one with the same id. */
  saveStaff(staff: StaffMember): Promise<void>;
  /** Adds a patient, or replaces the one with the same id. */
  savePatient(patient: Patient): Promise<void>;
  /**
   * Keeps the clinic's host ids as they are for the rest of the unit of work: another unit of work
   * that asks too waits until this one ends, then sees what it wrote. Asked before reading host ids
   * to add or change patients by them, so two imports (or an import and an edit) of the same new
   * host id do not both add a patient (ADMIN-3).
   */
  reserveHostIds(): Promise<void>;
  /** The patients with these host ids (ADMIN-3); unknown ones are left out. */
  patientsByHostIds(hostIds: readonly string[]): Promise<Patient[]>;
  /** Adds or replaces many patients at once (a CSV import, ADMIN-3), each as {@link savePatient} would. */
  savePatients(patients: readonly Patient[]): Promise<void>;
  /**
   * REC-2: replaces a patient by their tombstone ({@link Patient.erasure} set) and removes what
   * they signed in with (credentials, sessions, invitations, reset links) and their appointments.
   * The tombstone is in no name search or patient list.
   */
  erasePatient(tombstone: Patient): Promise<void>;
  /** Sets a staff member's "Available for Chat with Patients" toggle. */
  setAvailability(staffId: string, available: boolean): Promise<void>;
}
