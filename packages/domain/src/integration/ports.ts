import type { Appointment } from "../appointments/Appointment";
import type { StaffMember } from "../people/people";

/**
 * One API credential of a clinic (INTEG-1): the host system's key to the FHIR endpoint. Only a
 * digest of its secret is kept; the secret is shown once, when it is made.
 */
export interface ApiCredential {
  readonly id: string;
  readonly clinicId: string;
  /** What the admin called it (the host system's name, say); never PHI. */
  readonly name: string;
  /** SHA-256 of the secret, hex. */
  readonly secretDigest: string;
  readonly createdAt: Date;
  /** The admin who made it. */
  readonly createdBy: string;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** The integration's own rows of the current clinic, and the host's ids of its staff and appointments. */
export interface IntegrationStore {
  addCredential(credential: ApiCredential): Promise<void>;
  /** The clinic's credentials, newest first, revoked ones too. */
  credentials(): Promise<ApiCredential[]>;
  credential(id: string): Promise<ApiCredential | null>;
  markCredentialUsed(id: string, at: Date): Promise<void>;
  revokeCredential(id: string, at: Date): Promise<void>;
  /**
   * Counts one call of the credential in the minute starting at `windowStart` (an earlier minute's
   * count starts again at this one) and answers the calls counted in that minute so far, this one
   * included; 0 for a credential the clinic does not have. Shared by every API process.
   */
  countCall(id: string, windowStart: Date): Promise<number>;
  /** The staff with these host ids; unknown ones are left out. */
  staffByHostIds(hostIds: readonly string[]): Promise<StaffMember[]>;
  /** The appointments with these host ids; unknown ones are left out. */
  appointmentsByHostIds(hostIds: readonly string[]): Promise<Appointment[]>;
  /** Adds or replaces many appointments at once, each as `AppointmentStore.save` would. */
  saveAppointments(appointments: readonly Appointment[]): Promise<void>;
}

/** Who calls on the host system's behalf: an API credential of one clinic, from an address. */
export interface HostCaller {
  readonly clinicId: string;
  readonly credentialId: string;
  readonly ip?: string | null;
}
