import { audited } from "../../shared/audited";
import { DomainError } from "../../shared/DomainError";
import type { ChatDeps } from "../../shared/deps";
import type { Ids } from "../../shared/ports";
import type { Stores } from "../../shared/UnitOfWork";
import { loadActing } from "../loadPerson";
import type { Actor, Patient } from "../people";
import {
  checkPatientDetails,
  type FieldProblem,
  type PatientField,
  type PatientProblem,
} from "./patientDetails";

/**
 * One row of a patient import as the file gave it: every value a string, blank when absent. The
 * name comes whole or as first and last name.
 */
export interface PatientImportRow {
  readonly hostId: string;
  readonly name?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly dateOfBirth: string;
  readonly email?: string;
  readonly mobilePhone?: string;
  readonly smsConsent?: string;
}

/** How large one import may be. */
export const patientImportLimits = { rows: 10_000 } as const;

/** What an import does with one row: adds a patient, updates the one with its host id, or refuses it. */
export type ImportOutcome = "add" | "update" | "refused";

/** A refused field of one row; rows count from 1, the first row under the header. */
export interface RowProblem {
  readonly row: number;
  readonly field: PatientField;
  readonly problem: PatientProblem;
}

/** What an import would do, row by row (the preview), or did. */
export interface ImportPreview {
  readonly outcomes: ImportOutcome[];
  readonly problems: RowProblem[];
  readonly added: number;
  readonly updated: number;
  readonly refused: number;
}

const yes = new Set(["yes", "y", "true", "1"]);
const no = new Set(["no", "n", "false", "0", ""]);

/**
 * The import preview (ADMIN-3): what each row would do, and every problem of every refused row,
 * without writing anything. Clinic admins only: an import changes many patients at once.
 */
export function previewPatientImport(
  deps: ChatDeps,
  actor: Actor,
  input: { rows: readonly PatientImportRow[] },
): Promise<ImportPreview> {
  return audited(deps, actor, "patient.import_preview", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    return (await judgeImport(stores, deps, actor.clinicId, input.rows)).preview;
  });
}

/**
 * Imports the rows (ADMIN-3): all or nothing. Any refused row refuses the whole import, and nothing
 * is written; otherwise each row adds a patient, or updates the patient with its host id (keeping
 * their id and portal account), in one unit of work.
 */
export function importPatients(
  deps: ChatDeps,
  actor: Actor,
  input: { rows: readonly PatientImportRow[] },
): Promise<{ added: number; updated: number }> {
  return audited(deps, actor, "patient.import", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    await stores.directory.reserveHostIds();
    const { preview, patients } = await judgeImport(stores, deps, actor.clinicId, input.rows);
    if (preview.refused > 0)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
        field: "rows",
        refusedRows: preview.refused,
      });
    await stores.directory.savePatients(patients);
    return { added: preview.added, updated: preview.updated };
  });
}

async function judgeImport(
  stores: Stores,
  deps: { ids: Ids; clock: { now(): Date } },
  clinicId: string,
  rows: readonly PatientImportRow[],
): Promise<{ preview: ImportPreview; patients: Patient[] }> {
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
  const patients: Patient[] = [];
  rows.forEach((row, index) => {
    const rowProblems: FieldProblem[] = [];
    const consent = (row.smsConsent ?? "").trim().toLowerCase();
    if (!yes.has(consent) && !no.has(consent))
      rowProblems.push({ field: "smsConsent", problem: "not_yes_or_no" });
    const name =
      row.name?.trim() || [row.firstName, row.lastName].map((part) => part?.trim() ?? "").join(" ");
    const checked = checkPatientDetails(
      {
        name,
        dateOfBirth: row.dateOfBirth,
        email: row.email ?? null,
        mobilePhone: row.mobilePhone ?? null,
        smsConsent: yes.has(consent),
        hostId: row.hostId,
      },
      today,
    );
    if (!checked.ok) rowProblems.push(...checked.problems);
    const hostId = row.hostId.trim();
    if (hostId === "") rowProblems.push({ field: "hostId", problem: "missing" });
    else if (seen.has(hostId)) rowProblems.push({ field: "hostId", problem: "repeated" });
    seen.add(hostId);
    if (rowProblems.length > 0 || !checked.ok) {
      outcomes.push("refused");
      for (const problem of rowProblems) problems.push({ row: index + 1, ...problem });
      return;
    }
    const before = existing.get(hostId);
    outcomes.push(before ? "update" : "add");
    patients.push(
      before
        ? { ...before, ...checked.details }
        : { id: deps.ids.newId(), clinicId, ...checked.details, portalAccount: "none" },
    );
  });
  const count = (outcome: ImportOutcome) => outcomes.filter((o) => o === outcome).length;
  return {
    preview: { outcomes, problems, added: count("add"), updated: count("update"), refused: count("refused") },
    patients,
  };
}
