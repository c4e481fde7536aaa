import type { OfficeHours } from "../hours/OfficeHours";
import type { Clinic, ClinicSettings, Plan } from "./Clinic";

/** Reads and changes the clinic of the current unit of work. */
export interface ClinicStore {
  /** Registers a new clinic (onboarding, demo seed, tests). */
  create(clinic: Clinic): Promise<void>;
  /** The clinic, or null when unknown. */
  get(clinicId: string): Promise<Clinic | null>;
  /** Replaces the clinic's settings. */
  saveSettings(clinicId: string, settings: ClinicSettings): Promise<void>;
  /** Changes the clinic's plan; settings stay as they are (ENT-3). */
  savePlan(clinicId: string, plan: Plan): Promise<void>;
  /** Replaces the clinic's office hours (HOURS-1). */
  saveOfficeHours(clinicId: string, hours: OfficeHours): Promise<void>;
}
