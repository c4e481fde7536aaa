/** What staff type or import about a patient (ADMIN-3), before it is checked. */
export interface PatientDetailsInput {
  readonly name: string;
  /** An ISO date, YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly email?: string | null;
  readonly mobilePhone?: string | null;
  readonly smsConsent: boolean;
  readonly hostId?: string | null;
}

/** A patient's details as checked and normalised: trimmed, email lower-cased, mobile without separators. */
export interface PatientDetails {
  readonly name: string;
  readonly dateOfBirth: string;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsConsent: boolean;
  readonly hostId: string | null;
}

/** The fields of a patient's details, as named in problems. */
export type PatientField = "name" | "dateOfBirth" | "email" | "mobilePhone" | "smsConsent" | "hostId";

/** Why a field is refused: a code the staff app turns into words, never the value itself (no PHI). */
export type PatientProblem =
  | "missing"
  | "too_long"
  | "not_a_date"
  | "not_in_the_past"
  | "not_an_email"
  | "not_a_mobile_number"
  | "needs_a_mobile_number"
  | "not_yes_or_no"
  | "taken"
  | "repeated";

/** One refused field. */
export interface FieldProblem {
  readonly field: PatientField;
  readonly problem: PatientProblem;
}

/** The limits of a patient's details. */
export const patientDetailLimits = { name: 200, email: 254, hostId: 64 } as const;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const emailShape = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
// E.164: a country code and subscriber number, at most 15 digits; the leading `+` may be left out.
const mobileShape = /^\+?[1-9]\d{6,14}$/;
const separators = /[\s().-]/g;
// Nobody alive was born before this; a year like 0984 is a typing slip.
const earliestBirthYear = 1900;

/**
 * Checks a patient's details (ADMIN-3): a name, a real date of birth before `today`, an email of
 * the usual shape, a mobile number E.164 would accept (spaces, dots, dashes and brackets allowed
 * between digits), SMS consent only with a mobile number, and a host id of sensible length. Every
 * refused field is listed, so a CSV row reports all of its problems at once.
 */
export function checkPatientDetails(
  input: PatientDetailsInput,
  today: Date,
): { ok: true; details: PatientDetails } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const refuse = (field: PatientField, problem: PatientProblem) => problems.push({ field, problem });

  const name = input.name.trim().replace(/\s+/g, " ");
  if (name === "") refuse("name", "missing");
  else if ([...name].length > patientDetailLimits.name) refuse("name", "too_long");

  const dateOfBirth = input.dateOfBirth.trim();
  const dateProblem = birthDateProblem(dateOfBirth, today);
  if (dateProblem) refuse("dateOfBirth", dateProblem);

  const email = blankToNull(input.email)?.toLowerCase() ?? null;
  if (email !== null && email.length > patientDetailLimits.email) refuse("email", "too_long");
  else if (email !== null && !emailShape.test(email)) refuse("email", "not_an_email");

  const mobilePhone = blankToNull(input.mobilePhone)?.replace(separators, "") ?? null;
  if (mobilePhone !== null && !mobileShape.test(mobilePhone)) refuse("mobilePhone", "not_a_mobile_number");
  if (input.smsConsent && mobilePhone === null) refuse("smsConsent", "needs_a_mobile_number");

  const hostId = blankToNull(input.hostId);
  if (hostId !== null && [...hostId].length > patientDetailLimits.hostId) refuse("hostId", "too_long");

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    details: { name, dateOfBirth, email, mobilePhone, smsConsent: input.smsConsent, hostId },
  };
}

function blankToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

function birthDateProblem(value: string, today: Date): PatientProblem | null {
  if (value === "") return "missing";
  const parts = isoDate.exec(value);
  if (!parts) return "not_a_date";
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February over into March: a real date comes back as it went in.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return "not_a_date";
  if (year < earliestBirthYear) return "not_a_date";
  if (value >= today.toISOString().slice(0, 10)) return "not_in_the_past";
  return null;
}
