import type { Clinic } from "../clinic/Clinic";
import { entitlementsFor } from "../clinic/entitlements";
import { addDays, instantAt } from "../hours/zonedTime";
import { canAct, type Person } from "../people/Person";
import type { Patient } from "../people/people";
import { composerRules } from "../people/reachability";
import { allow, type Decision, deny } from "../shared/Decision";
import type { DomainErrorCode } from "../shared/DomainError";
import type { AudienceChoice, BroadcastAudience, BroadcastContent } from "./Broadcast";

/** BCAST-1: only an active admin of the clinic sends, schedules, cancels or reads broadcasts. */
export function canBroadcast(person: Person, clinicId: string): Decision {
  if (person.kind !== "staff") return deny("FORBIDDEN");
  const acting = canAct(person);
  if (!acting.allowed) return acting;
  if (person.staff.clinicId !== clinicId) return deny("NOT_FOUND");
  return person.staff.role === "admin" ? allow : deny("FORBIDDEN");
}

/**
 * BCAST-1 with ENT-1: may the clinic send this kind of content to patients at all? Text needs
 * patient messaging, a file needs file sharing, both need patient chat on.
 */
export function canBroadcastContent(
  clinic: Pick<Clinic, "plan" | "settings">,
  kind: BroadcastContent["kind"],
): Decision {
  const entitlements = entitlementsFor(clinic);
  return kind === "text" ? entitlements.patientMessaging : entitlements.patientFileSharing;
}

/**
 * BCAST-1 with ELIG-1, ENT-1: may this patient receive the broadcast from its author? The same
 * composer rules as a message typed in the patient's conversation, so a copy goes exactly when the
 * author could have sent it by hand.
 */
export function broadcastRecipientDecision(
  clinic: Clinic,
  author: Person,
  patient: Patient,
  kind: BroadcastContent["kind"],
): Decision {
  if (patient.clinicId !== clinic.id) return deny("NOT_FOUND");
  const rules = composerRules(clinic, { kind: "patient" }, patient, author);
  return kind === "text" ? rules.text : rules.file;
}

/**
 * BCAST-1: the audience an admin picked, in instants. A day is the clinic's day, in its time zone:
 * appointments from the first day's midnight there up to the midnight that ends the last day.
 */
export function audienceOf(clinic: Pick<Clinic, "timeZone">, choice: AudienceChoice): BroadcastAudience {
  if (choice.kind !== "appointments") return choice;
  return {
    kind: "appointments",
    from: instantAt(choice.from, 0, clinic.timeZone),
    to: instantAt(addDays(choice.to, 1), 0, clinic.timeZone),
  };
}

/** One patient the broadcast leaves out, and why (shown before sending and in the report). */
export interface SkippedRecipient {
  readonly patient: Patient;
  readonly reason: DomainErrorCode;
}

/** Who a broadcast goes to and who it leaves out, each patient once. */
export interface RecipientPlan {
  readonly recipients: readonly Patient[];
  readonly skipped: readonly SkippedRecipient[];
}

/**
 * BCAST-1: splits the patients an audience names into recipients and skipped ones with the
 * reason; a patient named twice counts once, in the order first named.
 */
export function planRecipients(
  clinic: Clinic,
  author: Person,
  patients: readonly Patient[],
  kind: BroadcastContent["kind"],
): RecipientPlan {
  const seen = new Set<string>();
  const recipients: Patient[] = [];
  const skipped: SkippedRecipient[] = [];
  for (const patient of patients) {
    if (seen.has(patient.id)) continue;
    seen.add(patient.id);
    const decision = broadcastRecipientDecision(clinic, author, patient, kind);
    if (decision.allowed) recipients.push(patient);
    else skipped.push({ patient, reason: decision.reason });
  }
  return { recipients, skipped };
}

/**
 * What a failed turn means for its recipients (BCAST-1: failed and retried): tried again while
 * attempts remain, failed for good after the last.
 */
export function afterFailedAttempt(attempts: number, maxAttempts: number): "retry" | "failed" {
  return attempts >= maxAttempts ? "failed" : "retry";
}
