import type { AuditTrailPage } from "@clinic-chat/domain";
import { stringify } from "csv-stringify/sync";

/**
 * The exported trail as CSV text (REC-6): one line per record, the clinic's local time first, then
 * who, what in words, the action's code, outcome, reason code and address. csv-stringify quotes
 * what needs quoting; a cell that a spreadsheet would run as a formula is prefixed with `'`.
 */
export function auditCsv(page: AuditTrailPage): string {
  const rows = page.items.map((e) => [
    e.localTime,
    e.at.toISOString(),
    e.actorName,
    e.sentence,
    e.action,
    e.outcome,
    e.reason ?? "",
    e.ip ?? "",
  ]);
  return stringify(
    [
      [`Time (${page.timeZone})`, "Time (UTC)", "Who", "What", "Action", "Outcome", "Reason", "Address"],
      ...rows.map((row) => row.map(neutralised)),
    ],
    { record_delimiter: "\r\n" },
  );
}

/** Names are typed by people: a leading =, +, - or @ would run as a formula in a spreadsheet. */
function neutralised(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
