import { DomainError } from "../../shared/DomainError";
import type { Ids } from "../../shared/ports";
import type { Stores } from "../../shared/UnitOfWork";
import type { Patient } from "../people";
import type { ImportOutcome, ImportPreview, PatientImportRow, RowProblem } from "./importPatients";
import { patientImportLimits } from "./importPatients";
import { checkPatientDetails, type FieldProblem } from "./patientDetails";

/**
 * Whose word a row's SMS consent is: the row's (a clinic's own CSV file, ADMIN-3), or the clinic's
 * as Clinic Chat keeps it (the host system's records, INTEG-2: the host never gives or withdraws
 * consent, and never touches the portal account; a new patient starts without consent).
 */
export type ConsentSource = "from_rows" | "kept";

/** What rows of patients do: the preview, and the patients to write (those that change). */
export interface JudgedRows {
  readonly preview: ImportPreview;
  /** The patients each row adds or changes; rows that change nothing are left out. */
  readonly changed: Patient[];
  /** The patient of each row, in the rows' order; null for a refused row. */
  readonly patients: (Patient | null)[];
}

const yes = new Set(["yes", "y", "true", "1"]);
const no = new Set(["no", "n", "false", "0", ""]);

/**
 * The one judgement of patients recorded by the host's id, from a CSV import or from the host
 * system (ADMIN-3, INTEG-2): each row adds a patient, updates the one with its host id (keeping
 * their id and portal account), or is refused with every problem it has. Writes nothing.
 */
export async function judgePatientRows(
  stores: Stores,
  deps: { ids: Ids; clock: { now(): Date } },
  clinicId: string,
  rows: readonly PatientImportRow[],
  consentSource: ConsentSource,
): Promise<JudgedRows> {
  if (rows.length === 0)
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "rows", problem: "missing" });
  if (rows.length > patientImportLimits.rows)
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
      field: "rows",
      problem: "too_many",
      limit: patientImportLimits.rows,
    });
  const today = deps.clock.now();
  const hostIds = rows.map((row) => row.hostId.trim()).filter((hostId) => hostId !== "");
  const existing = new Map(
    (await stores.directory.patientsByHostIds([...new Set(hostIds)])).map((p) => [p.hostId, p]),
  );
  const seen = new Set<string>();
  const outcomes: ImportOutcome[] = [];
  const problems: RowProblem[] = [];
  const changed: Patient[] = [];
  const patients: (Patient | null)[] = [];
  rows.forEach((row, index) => {
    const rowProblems: FieldProblem[] = [];
    const hostId = row.hostId.trim();
    const before = existing.get(hostId);
    const consent = (row.smsConsent ?? "").trim().toLowerCase();
    if (consentSource === "from_rows" && !yes.has(consent) && !no.has(consent))
      rowProblems.push({ field: "smsConsent", problem: "not_yes_or_no" });
    const name =
      row.name?.trim() || [row.firstName, row.lastName].map((part) => part?.trim() ?? "").join(" ");
    const checked = checkPatientDetails(
      {
        name,
        dateOfBirth: row.dateOfBirth,
        email: row.email ?? null,
        mobilePhone: row.mobilePhone ?? null,
        smsConsent: consentSource === "from_rows" ? yes.has(consent) : (before?.smsConsent ?? false),
        hostId: row.hostId,
      },
      today,
    );
    if (!checked.ok) rowProblems.push(...checked.problems);
    if (hostId === "") rowProblems.push({ field: "hostId", problem: "missing" });
    else if (seen.has(hostId)) rowProblems.push({ field: "hostId", problem: "repeated" });
    seen.add(hostId);
    if (rowProblems.length > 0 || !checked.ok) {
      outcomes.push("refused");
      patients.push(null);
      for (const problem of rowProblems) problems.push({ row: index + 1, ...problem });
      return;
    }
    outcomes.push(before ? "update" : "add");
    const patient: Patient = before
      ? { ...before, ...checked.details }
      : { id: deps.ids.newId(), clinicId, ...checked.details, portalAccount: "none" };
    patients.push(patient);
    if (!before || !samePatient(before, patient)) changed.push(patient);
  });
  const count = (outcome: ImportOutcome) => outcomes.filter((o) => o === outcome).length;
  return {
    preview: { outcomes, problems, added: count("add"), updated: count("update"), refused: count("refused") },
    changed,
    patients,
  };
}

function samePatient(a: Patient, b: Patient): boolean {
  return (
    a.name === b.name &&
    a.email === b.email &&
    a.mobilePhone === b.mobilePhone &&
    a.smsConsent === b.smsConsent &&
    a.portalAccount === b.portalAccount &&
    (a.dateOfBirth ?? null) === (b.dateOfBirth ?? null) &&
    (a.hostId ?? null) === (b.hostId ?? null)
  );
}
