// The table run.ts prints: each figure's product and baseline, median and spread over the runs.

/** One line of the table. */
export interface Row {
  readonly figure: string;
  readonly product: readonly number[];
  readonly baseline: readonly number[] | null;
  readonly unit: string;
  readonly digits: number;
  /** How the ratio reads: product ÷ baseline. */
  readonly target: string;
  readonly pass: ((product: number, baseline: number | null) => boolean) | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spread(values: readonly number[], digits: number): string {
  if (values.length < 2) return "";
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
}

/** A line of the bench's printout. */
export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printTable(rows: readonly Row[]): void {
  const header = ["figure", "product (median; spread)", "baseline (median; spread)", "ratio", "target", "ok"];
  const lines = rows.map((row) => {
    const p = median(row.product);
    const b = row.baseline ? median(row.baseline) : null;
    const cell = (values: readonly number[], m: number) =>
      `${m.toFixed(row.digits)} ${row.unit}${values.length > 1 ? ` (${spread(values, row.digits)})` : ""}`;
    return [
      row.figure,
      cell(row.product, p),
      row.baseline && b !== null ? cell(row.baseline, b) : "—",
      b !== null ? `${(p / b).toFixed(2)}×` : "—",
      row.target,
      row.pass ? (row.pass(p, b) ? "pass" : "MISS") : "—",
    ];
  });
  log(`\n| ${header.join(" | ")} |`);
  log(`|${header.map(() => "---").join("|")}|`);
  for (const line of lines) log(`| ${line.join(" | ")} |`);
}
