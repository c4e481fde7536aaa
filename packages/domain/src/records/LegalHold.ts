import { allow, type Decision, deny } from "../shared/Decision";

/** Length of a legal hold's reason after trimming (REC-4). */
export const legalHoldReasonLimits = { min: 1, max: 500 } as const;

/**
 * A legal hold on a patient (REC-4): while it stands, nothing of the patient's conversations is
 * deleted, by a person (DEL-1) or by the clinic's retention period (REC-3). The reason is for the
 * clinic's admins; it never goes into the audit trail or a log.
 */
export interface LegalHold {
  readonly clinicId: string;
  readonly patientId: string;
  readonly reason: string;
  /** The admin who placed it. */
  readonly placedBy: string;
  readonly placedAt: Date;
}

/** REC-4: a reason is required, and short enough to read at a glance. */
export function checkHoldReason(reason: string): Decision {
  const length = reason.trim().length;
  if (length < legalHoldReasonLimits.min || length > legalHoldReasonLimits.max) {
    return deny("INVALID_INPUT", { field: "reason" });
  }
  return allow;
}

/**
 * REC-4: whether a message of a conversation may be deleted, by a person or by retention, given
 * the hold on its patient (null: none, or a Team Chat conversation, which belongs to no patient).
 */
export function canDeleteUnderHold(hold: LegalHold | null): Decision {
  return hold ? deny("LEGAL_HOLD") : allow;
}
