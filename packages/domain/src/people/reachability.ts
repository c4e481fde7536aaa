import type { Clinic } from "../clinic/Clinic";
import { entitlementsFor } from "../clinic/entitlements";
import { allow, type Decision, deny } from "../shared/Decision";
import { offeredToPatients } from "./offering";
import { canAct, type Person } from "./Person";
import type { Patient, PersonRef, StaffMember } from "./people";

// Who may reach whom (ELIG-1 … 3, ENT-1, ENT-3): the rules every entry point asks before a chat
// exists (search, the patient list, the Patient File, Appointment Details, the portal). The
// rules of a conversation that exists are in chat/.

/** ELIG-1: can this patient receive messages and files at all? The reason is shown beside search results. */
export function patientReachability(patient: Patient): Decision {
  // REC-2: an erased patient's conversations keep their history of deletions and take nothing new.
  if (patient.erasure) return deny("CONVERSATION_READ_ONLY");
  return patient.portalAccount === "active"
    ? allow
    : deny("PATIENT_PORTAL_INACTIVE", { portalAccount: patient.portalAccount });
}

/** What the composer of one conversation offers its sender now (ENT-1, ENT-3, ELIG-1). */
export interface ComposerRules {
  readonly text: Decision;
  readonly file: Decision;
}

/**
 * The composer of a conversation for one sender: which of text and file may be sent now, each
 * "no" with its reason so the UI can explain the disabled state (ENT-3: history stays readable).
 * `patient` is the conversation's patient (null for Team Chat).
 */
export function composerRules(
  clinic: Pick<Clinic, "plan" | "settings">,
  conversation: { readonly kind: "patient" | "team" },
  patient: Patient | null,
  sender: Person,
): ComposerRules {
  const acting = canAct(sender);
  if (!acting.allowed) return { text: acting, file: acting };
  const entitlements = entitlementsFor(clinic);
  if (conversation.kind === "team") {
    return { text: entitlements.teamChat, file: entitlements.teamChat };
  }
  const reachable = patient ? patientReachability(patient) : deny("NOT_FOUND");
  return {
    text: entitlements.patientMessaging.allowed ? reachable : entitlements.patientMessaging,
    file: entitlements.patientFileSharing.allowed ? reachable : entitlements.patientFileSharing,
  };
}

/**
 * True when at least one of text and file may be sent. When neither may, the reason is the one an
 * admin would act on: a capability the plan includes says what stops it now (a switch, the
 * patient's portal), so an upgrade is named only when the plan includes neither.
 */
export function canSendAnything(rules: ComposerRules): Decision {
  if (rules.text.allowed || rules.file.allowed) return allow;
  if (rules.text.reason === "PLAN_REQUIRED" && rules.file.reason !== "PLAN_REQUIRED") return rules.file;
  return rules.text;
}

/**
 * START-1/ELIG-1/ELIG-5: may this staff member start (or open) the chat with this patient? The
 * patient must belong to the clinic and be reachable, and the clinic must allow at least one
 * patient capability.
 */
export function canStartPatientChat(clinic: Clinic, starter: StaffMember, patient: Patient): Decision {
  if (patient.clinicId !== clinic.id || starter.clinicId !== clinic.id) return deny("NOT_FOUND");
  return canSendAnything(
    composerRules(clinic, { kind: "patient" }, patient, { kind: "staff", staff: starter }),
  );
}

/**
 * A patient starting a chat from the portal: only with an active practitioner who is available
 * for chat with patients (ELIG-2), within the clinic's entitlements.
 */
export function canPatientStartChatWith(
  clinic: Clinic,
  patient: Patient,
  practitioner: StaffMember,
): Decision {
  if (patient.clinicId !== clinic.id) return deny("NOT_FOUND");
  const offered = offeredToPatients(clinic.id, practitioner);
  if (!offered.allowed) return offered;
  return canSendAnything(composerRules(clinic, { kind: "patient" }, patient, { kind: "patient", patient }));
}

/** ELIG-3: Team Chat only among active staff of this clinic, on a plan and setting that allow it. */
export function canStartTeamChat(clinic: Clinic, members: readonly StaffMember[]): Decision {
  const teamChat = entitlementsFor(clinic).teamChat;
  if (!teamChat.allowed) return teamChat;
  // Count people, not entries: the same person listed twice is not a team.
  if (new Set(members.map((member) => member.id)).size < 2)
    return deny("INVALID_INPUT", { field: "teammates" });
  for (const member of members) {
    if (member.clinicId !== clinic.id) return deny("NOT_FOUND");
    if (!member.active) return deny("STAFF_INACTIVE");
  }
  return allow;
}

/** The ref of a loaded person. */
export function refOf(person: Person): PersonRef {
  return person.kind === "staff"
    ? { kind: "staff", id: person.staff.id }
    : { kind: "patient", id: person.patient.id };
}
