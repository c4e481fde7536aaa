/** An appointment: enough for the appointment list and Appointment Details (entry point 2 of §3). */
export interface Appointment {
  readonly id: string;
  readonly clinicId: string;
  readonly patientId: string;
  readonly practitionerId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: "scheduled" | "cancelled" | "completed";
  /** The host system's id for this appointment, unique in the clinic (INTEG-2). */
  readonly hostId?: string | null;
}

/** The appointment book of the current clinic. */
export interface AppointmentStore {
  get(appointmentId: string): Promise<Appointment | null>;
  /** Adds an appointment, or replaces the one with the same id. */
  save(appointment: Appointment): Promise<void>;
  /**
   * Replaces the appointment with the same id only while it is still scheduled, in one step, so a
   * move cannot undo a cancellation made meanwhile (ADMIN-4). False when it is not (or no longer)
   * scheduled, or unknown in this clinic.
   */
  changeScheduled(appointment: Appointment): Promise<boolean>;
  /** Appointments starting in [from, to), earliest first. */
  between(range: { from: Date; to: Date; limit: number }): Promise<Appointment[]>;
  /** One patient's appointments, latest first (the Patient File). */
  forPatient(patientId: string, limit: number): Promise<Appointment[]>;
  /** The patient's first scheduled appointment starting at or after `from` (TPL-1's next appointment). */
  nextFor(patientId: string, from: Date): Promise<Appointment | null>;
}
