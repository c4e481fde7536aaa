import { TRPCClientError } from "@trpc/client";

/** The fields of a patient's details, in the words of the form and the CSV page. */
export const fieldNames: Readonly<Record<string, string>> = {
  name: "Name",
  dateOfBirth: "Date of birth",
  email: "Email",
  mobilePhone: "Mobile phone",
  smsConsent: "SMS consent",
  hostId: "Host system id",
};

/** What is wrong with a field, as the domain names it (ADMIN-3), in words that say what to do. */
export const problemSentences: Readonly<Record<string, string>> = {
  missing: "is missing.",
  too_long: "is too long.",
  not_a_date: "is not a real date. Use YYYY-MM-DD, like 1984-03-12.",
  not_in_the_past: "must be a date in the past.",
  not_an_email: "is not an email address.",
  not_a_mobile_number: "is not a mobile number. Use the international form, like +44 7700 900123.",
  needs_a_mobile_number: "needs a mobile phone number.",
  not_yes_or_no: "must be yes or no.",
  taken: "already belongs to another patient.",
  repeated: "appears on an earlier row of this file.",
};

/** One field's problem as a sentence: "Date of birth is not a real date…". */
export function problemSentence(field: string, problem: string): string {
  return `${fieldNames[field] ?? field} ${problemSentences[problem] ?? "is not valid."}`;
}

/** The field and problem a refusal names, when the server named one (never a value). */
export function fieldProblemOf(error: unknown): { field: string; problem: string } | null {
  if (!(error instanceof TRPCClientError)) return null;
  const details = (error.data as { details?: Record<string, unknown> | null } | undefined)?.details;
  const field = details?.field;
  const problem = details?.problem;
  return typeof field === "string" && typeof problem === "string" ? { field, problem } : null;
}
