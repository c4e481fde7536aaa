/**
 * The form of an email address that sign-in compares: trimmed and lower-cased, so `Ana@Clinic.test `
 * and `ana@clinic.test` are one login. (Local parts are case-sensitive in theory, never in practice.)
 */
export function normaliseEmail(email: string): string {
  return email.normalize("NFC").trim().toLowerCase();
}
