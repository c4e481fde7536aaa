import type { Person } from "../people/Person";
import { canAct } from "../people/Person";
import { allow, type Decision, deny } from "../shared/Decision";

/** How long an emergency grant lets its admin read the conversation (REC-7). */
export const emergencyAccessMinutes = 60;

/** Longest reason an admin may give, in characters. */
export const maxEmergencyReasonLength = 1000;

/**
 * REC-7: an admin's read-only access to a conversation they are not part of, for
 * {@link emergencyAccessMinutes}, with the reason they gave. Kept apart from the audit trail: the
 * reason is free text and may name the patient, and audit records hold ids and codes only.
 */
export interface EmergencyGrant {
  readonly id: string;
  readonly clinicId: string;
  readonly conversationId: string;
  readonly adminId: string;
  readonly reason: string;
  readonly grantedAt: Date;
  readonly expiresAt: Date;
}

/** The clinic's emergency grants; written once, never changed. */
export interface EmergencyAccessStore {
  grant(grant: EmergencyGrant): Promise<void>;
  /** The clinic's grants made at or after `since`, newest first, at most `limit`. */
  grantedSince(since: Date, limit: number): Promise<EmergencyGrant[]>;
}

/**
 * May this person read a conversation through an emergency grant that runs until `until`, at `now`?
 * Only an admin who may act, only before the grant's hour is over (REC-7). After it, reading is
 * refused as for anyone not in the conversation (ELIG-4/5: NOT_FOUND).
 */
export function holdsEmergencyAccess(person: Person, until: Date | null | undefined, now: Date): boolean {
  if (!until || now.getTime() >= until.getTime()) return false;
  return person.kind === "staff" && person.staff.role === "admin" && canAct(person).allowed;
}

/** The reason as kept: trimmed; required, of reasonable length, without control characters but line breaks. */
export function emergencyReasonOf(
  raw: string,
): { readonly ok: true; readonly reason: string } | { readonly ok: false; readonly decision: Decision } {
  const reason = raw.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(reason))
    return { ok: false, decision: deny("INVALID_INPUT", { field: "reason" }) };
  if (reason.length === 0) return { ok: false, decision: deny("INVALID_INPUT", { field: "reason" }) };
  if ([...reason].length > maxEmergencyReasonLength)
    return { ok: false, decision: deny("INVALID_INPUT", { field: "reason", max: maxEmergencyReasonLength }) };
  return { ok: true, reason };
}

/** An admin may ask for emergency access to a conversation only when they are not in it already. */
export function canAskEmergencyAccess(isParticipant: boolean): Decision {
  return isParticipant ? deny("CONFLICT", { field: "conversationId" }) : allow;
}
