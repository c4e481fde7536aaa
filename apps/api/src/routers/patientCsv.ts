import type { PatientImportRow } from "@clinic-chat/domain";
import { CsvError, parse } from "csv-parse/sync";

/** The most a patient CSV may weigh, in characters: 10,000 rows of a host system's export fit well within. */
export const patientCsvMaxChars = 2_000_000;

/**
 * The columns of a patient CSV (ADMIN-3), by their header; case, spaces, dashes and underscores
 * are ignored, so `Date of birth` and `date_of_birth` are the same. `host_id` and `date_of_birth`
 * are required, and either `name` or both `first_name` and `last_name`.
 */
export const patientCsvColumns = {
  hostid: "hostId",
  name: "name",
  firstname: "firstName",
  lastname: "lastName",
  dateofbirth: "dateOfBirth",
  email: "email",
  mobile: "mobilePhone",
  smsconsent: "smsConsent",
} as const satisfies Record<string, keyof PatientImportRow>;

/** Why a file is not read at all; `column` and `line` are the file's own header and line, never its values. */
export type CsvProblem =
  | { readonly problem: "empty" }
  | { readonly problem: "not_csv"; readonly line: number }
  | { readonly problem: "unknown_column"; readonly column: number }
  | { readonly problem: "repeated_column"; readonly column: number }
  | { readonly problem: "missing_column"; readonly field: keyof PatientImportRow };

/**
 * Reads a patient CSV into plain rows for the domain, which judges each row. Only the file's shape
 * is checked here: one header line of known columns, then rows of as many fields.
 */
export function readPatientCsv(
  text: string,
): { ok: true; rows: PatientImportRow[] } | { ok: false; problem: CsvProblem } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    if (error instanceof CsvError)
      return {
        ok: false,
        problem: { problem: "not_csv", line: typeof error.lines === "number" ? error.lines : 0 },
      };
    throw error;
  }
  const [header, ...body] = records;
  if (!header || body.length === 0) return { ok: false, problem: { problem: "empty" } };
  const fields: (keyof PatientImportRow)[] = [];
  for (const [index, title] of header.entries()) {
    const key = title.toLowerCase().replace(/[\s_-]+/g, "");
    const field = (patientCsvColumns as Record<string, keyof PatientImportRow>)[key];
    if (!field) return { ok: false, problem: { problem: "unknown_column", column: index + 1 } };
    if (fields.includes(field))
      return { ok: false, problem: { problem: "repeated_column", column: index + 1 } };
    fields.push(field);
  }
  for (const required of ["hostId", "dateOfBirth"] as const)
    if (!fields.includes(required))
      return { ok: false, problem: { problem: "missing_column", field: required } };
  if (!fields.includes("name") && !(fields.includes("firstName") && fields.includes("lastName")))
    return { ok: false, problem: { problem: "missing_column", field: "name" } };
  const rows = body.map((record) => {
    const row: Record<string, string> = { hostId: "", dateOfBirth: "" };
    fields.forEach((field, i) => {
      row[field] = record[i] ?? "";
    });
    return row as unknown as PatientImportRow;
  });
  return { ok: true, rows };
}
