/**
 * The closed set of reasons a use case refuses. The API maps each code to one transport error and
 * one human sentence in a single table; nothing else should be thrown for a rule violation.
 */
export const domainErrorCodes = [
  "NOT_FOUND",
  "FORBIDDEN",
  "INVALID_INPUT",
  "PLAN_REQUIRED",
  "SETTING_OFF",
  "PATIENT_CHAT_OFF",
  "PATIENT_PORTAL_INACTIVE",
  "STAFF_INACTIVE",
  "NOT_A_PARTICIPANT",
  "CONVERSATION_READ_ONLY",
  "MESSAGE_EMPTY",
  "MESSAGE_TOO_LONG",
  "FILE_TOO_LARGE",
  "FILE_EMPTY",
  "FILE_TYPE_NOT_ALLOWED",
  "FILE_NAME_REFUSED",
  "FILE_TYPE_MISMATCH",
  "FILE_TEXT_NOT_PLAIN",
  "FILE_HAS_MARKUP",
  "FILE_INFLATES_TOO_MUCH",
  "FILE_DAMAGED",
  "FILE_INFECTED",
  "FILE_NOT_UPLOADED",
  "FILE_UPLOAD_EXPIRED",
  "ALREADY_DELETED",
  "CONFLICT",
  "LAST_ACTIVE_ADMIN",
  "LEGAL_HOLD",
  "TOO_MANY_STREAMS",
] as const;

/** One reason a use case refused, from {@link domainErrorCodes}. */
export type DomainErrorCode = (typeof domainErrorCodes)[number];

/**
 * The one error type use cases throw for rule violations. Its message never carries PHI: it names
 * the rule, not the content (SEC-5). `details` holds non-PHI facts the UI can use, such as the plan
 * a capability needs.
 */
export class DomainError extends Error {
  override readonly name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string = code,
    readonly details: Readonly<Record<string, string | number | boolean>> = {},
  ) {
    super(message);
  }
}

/** True when `error` is a {@link DomainError} (optionally with one of the given codes). */
export function isDomainError(error: unknown, ...codes: DomainErrorCode[]): error is DomainError {
  return error instanceof DomainError && (codes.length === 0 || codes.includes(error.code));
}
