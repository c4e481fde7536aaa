import { allow, type Decision, deny } from "../shared/Decision";
import type { StaffMember } from "./people";

/**
 * ELIG-2: is this staff member offered to the clinic's patients as someone to start a chat with?
 * Only an active practitioner of the clinic with "Available for Chat with Patients" on. Anyone
 * else answers NOT_FOUND, exactly like an unknown id, so a patient learns nothing about them.
 * Availability limits only what patients are offered: it never stops a practitioner from starting
 * chats, being added or replying.
 */
export function offeredToPatients(clinicId: string, staff: StaffMember): Decision {
  if (staff.clinicId !== clinicId) return deny("NOT_FOUND");
  if (!staff.active || staff.role !== "practitioner" || !staff.availableForPatientChat)
    return deny("NOT_FOUND");
  return allow;
}
