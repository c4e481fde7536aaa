import { audited } from "../../shared/audited";
import { DomainError } from "../../shared/DomainError";
import type { ChatDeps } from "../../shared/deps";
import { loadActing } from "../loadPerson";
import type { Actor } from "../people";
import type { PatientField, PatientProblem } from "./patientDetails";
import { judgePatientRows } from "./patientRows";

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
    return (await judgePatientRows(stores, deps, actor.clinicId, input.rows, "from_rows")).preview;
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
    const { preview, changed } = await judgePatientRows(
      stores,
      deps,
      actor.clinicId,
      input.rows,
      "from_rows",
    );
    if (preview.refused > 0)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", {
        field: "rows",
        refusedRows: preview.refused,
      });
    await stores.directory.savePatients(changed);
    return { added: preview.added, updated: preview.updated };
  });
}
