import type { OfficeHours } from "@clinic-chat/domain/hours";
import type { ColumnType, Generated, GeneratedAlways } from "kysely";

// The clinic and its people (staff, patients, their appointments), kept beside the others in the one
// Database interface.

/** The tenant: one row per clinic, its plan and its settings (RLS keyed on `id`). */
export interface ClinicsTable {
  id: string;
  name: string;
  plan: "starter" | "enhanced" | "premium";
  patient_chat_enabled: boolean;
  patient_file_sharing_enabled: boolean;
  patient_messaging_enabled: boolean;
  team_chat_enabled: boolean;
  sms_notifications_enabled: boolean;
  idle_timeout_minutes: number;
  notification_delay_seconds: number;
  created_at: Generated<Date>;
  time_zone: Generated<string>;
  /** Clinic Settings › Office hours as the domain keeps them (HOURS-1); null until kept. */
  office_hours: ColumnType<OfficeHours | null, string | null, string | null>;
  /** INTEG-4: an enabled webhook endpoint waits for the clinic's events. */
  webhooks_active: Generated<boolean>;
}

/** Staff members; `search_name` is the normalised name the trigram index covers. */
export interface StaffTable {
  clinic_id: string;
  id: string;
  name: string;
  search_name: GeneratedAlways<string>;
  email: string;
  role: "admin" | "practitioner" | "staff";
  active: boolean;
  available_for_patient_chat: boolean;
  email_notifications: boolean;
  host_id: Generated<string | null>;
}

/** Patients with their Patient Portal account state (their sign-in is in `auth_credentials`). */
export interface PatientsTable {
  clinic_id: string;
  id: string;
  name: string;
  search_name: GeneratedAlways<string>;
  email: string | null;
  mobile_phone: string | null;
  sms_consent: boolean;
  portal_account: "none" | "invited" | "active" | "disabled";
  /** Written as an ISO date (YYYY-MM-DD); the driver reads a `date` back as a Date at UTC midnight. */
  date_of_birth: ColumnType<Date | string | null, string | null, string | null>;
  host_id: string | null;
  erased_at: Date | null;
  erased_by: string | null;
  erasure_reason: string | null;
}

/** Appointments, enough for the appointment list and Appointment Details. */
export interface AppointmentsTable {
  clinic_id: string;
  id: string;
  patient_id: string;
  practitioner_id: string;
  starts_at: Date;
  ends_at: Date;
  status: "scheduled" | "cancelled" | "completed";
  host_id: Generated<string | null>;
}
