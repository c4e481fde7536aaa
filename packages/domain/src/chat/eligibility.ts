import type { Clinic } from "../clinic/Clinic";
import { entitlementsFor } from "../clinic/entitlements";
import { canAct, type Person } from "../people/Person";
import type { StaffMember } from "../people/people";
import { allow, type Decision, deny } from "../shared/Decision";
import type { Conversation } from "./Conversation";

/**
 * ELIG-3/ELIG-4: may `adder` add `newcomer` to a conversation? Only staff add, only active staff
 * of the same clinic join; a patient conversation keeps exactly one patient.
 */
export function canAddParticipant(
  clinic: Clinic,
  conversation: Conversation,
  adder: Person,
  newcomer: StaffMember,
): Decision {
  if (adder.kind !== "staff") return deny("FORBIDDEN");
  const acting = canAct(adder);
  if (!acting.allowed) return acting;
  if (adder.staff.clinicId !== clinic.id) return deny("NOT_FOUND");
  if (newcomer.clinicId !== clinic.id || conversation.clinicId !== clinic.id) return deny("NOT_FOUND");
  if (!newcomer.active) return deny("STAFF_INACTIVE");
  if (conversation.kind === "team") {
    const teamChat = entitlementsFor(clinic).teamChat;
    if (!teamChat.allowed) return teamChat;
  }
  return allow;
}

/**
 * ELIG-4/ELIG-5/ELIG-6: may this person read a conversation? Only its participants, only while
 * they may act, and never across clinics. A non-participant gets NOT_FOUND, exactly like an
 * unknown id, so nothing reveals that the conversation exists. REC-7: an admin holding a live
 * emergency grant on it (`inEmergency`, see `holdsEmergencyAccess`) reads it too.
 */
export function canReadConversation(
  conversation: Conversation | null,
  person: Person,
  isParticipant: boolean,
  inEmergency = false,
): Decision {
  const acting = canAct(person);
  if (!acting.allowed) return acting;
  if (!conversation) return deny("NOT_FOUND");
  const clinicId = person.kind === "staff" ? person.staff.clinicId : person.patient.clinicId;
  if (conversation.clinicId !== clinicId || !(isParticipant || inEmergency)) return deny("NOT_FOUND");
  if (person.kind === "patient" && conversation.patientId !== person.patient.id) return deny("NOT_FOUND");
  return allow;
}
