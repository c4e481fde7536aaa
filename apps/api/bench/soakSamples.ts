import type { Sql } from "postgres";
import { percentile } from "./load";
import type { MemoryReport } from "./probe";

// The soak bench's samples: one row every few seconds (memory of each product process after a full
// collection, deliveries in the interval, dead rows and sizes of the main tables), the CSV, and
// the summary of the run.

/** The tables a send, its live event and its notification write; pg-boss's as one. */
export const soakTables = [
  "messages",
  "message_keys",
  "conversation_events",
  "conversations",
  "conversation_participants",
  "notification_states",
  "notification_burst_messages",
  "audit_log",
  "auth_sessions",
  "pgboss",
] as const;

export interface TableSample {
  readonly deadRows: number;
  readonly liveRows: number;
  readonly tableBytes: number;
  readonly indexBytes: number;
}

export interface SoakSample {
  readonly seconds: number;
  readonly memory: Readonly<Record<string, MemoryReport>>;
  /** Sends acknowledged and failed in the interval. */
  readonly acknowledged: number;
  readonly failed: number;
  /** Ack → event on the other process's stream, of the sends acknowledged in the interval. */
  readonly deliveries: readonly number[];
  readonly tables: Readonly<Record<string, TableSample>>;
}

/** Dead and live rows and sizes of {@link soakTables}, pg-boss's tables summed. */
export async function sampleTables(owner: Sql): Promise<Record<string, TableSample>> {
  const rows = await owner<
    { name: string; dead: string; live: string; table_bytes: string; index_bytes: string }[]
  >`
    select case when schemaname = 'pgboss' then 'pgboss' else relname end as name,
           sum(n_dead_tup)::text as dead, sum(n_live_tup)::text as live,
           sum(pg_table_size(relid))::text as table_bytes, sum(pg_indexes_size(relid))::text as index_bytes
      from pg_stat_user_tables
     group by 1`;
  const tables: Record<string, TableSample> = {};
  for (const row of rows)
    if ((soakTables as readonly string[]).includes(row.name))
      tables[row.name] = {
        deadRows: Number(row.dead),
        liveRows: Number(row.live),
        tableBytes: Number(row.table_bytes),
        indexBytes: Number(row.index_bytes),
      };
  return tables;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

export function samplesCsv(samples: readonly SoakSample[], processes: readonly string[]): string {
  const header = [
    "seconds",
    ...processes.flatMap((p) => [`${p}_rss_mib`, `${p}_heap_mib`]),
    "acknowledged",
    "failed",
    "delivered",
    "delivery_p99_ms",
    ...soakTables.flatMap((t) => [`${t}_dead_rows`, `${t}_live_rows`, `${t}_table_mib`, `${t}_index_mib`]),
  ];
  const lines = samples.map((s) => {
    const sorted = [...s.deliveries].sort((x, y) => x - y);
    return [
      s.seconds.toFixed(0),
      ...processes.flatMap((p) => [
        mib(s.memory[p]?.rss ?? Number.NaN),
        mib(s.memory[p]?.heapUsed ?? Number.NaN),
      ]),
      s.acknowledged,
      s.failed,
      sorted.length,
      sorted.length ? percentile(sorted, 99).toFixed(1) : "",
      ...soakTables.flatMap((t) => {
        const table = s.tables[t];
        return table
          ? [table.deadRows, table.liveRows, mib(table.tableBytes), mib(table.indexBytes)]
          : ["", "", "", ""];
      }),
    ].join(",");
  });
  return `${[header.join(","), ...lines].join("\n")}\n`;
}

/** min, max, range and least-squares trend over the run (both as % of the mean) of a series. */
export function flatness(points: readonly { x: number; y: number }[]) {
  const ys = points.map((p) => p.y);
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  const slope = den > 0 ? num / den : 0;
  const span = points.length ? points.at(-1)!.x - points[0]!.x : 0;
  const min = Math.min(...ys);
  const max = Math.max(...ys);
  return {
    min,
    max,
    rangePercent: ((max - min) / min) * 100,
    trendPercent: ((slope * span) / meanY) * 100,
  };
}

/** The summary lines: memory flatness after the warm-up, p99 per minute, the tables at the end. */
export function summarise(
  samples: readonly SoakSample[],
  processes: readonly string[],
  warmupSeconds: number,
): string[] {
  const lines: string[] = [];
  const steady = samples.filter((s) => s.seconds >= warmupSeconds);
  lines.push(
    `memory after the ${(warmupSeconds / 60).toFixed(1)}-minute warm-up (${steady.length} samples, after a full GC; ` +
      "range = (max − min) ÷ min, trend = least-squares slope over the run ÷ mean; target: flat within 10%):",
  );
  lines.push(
    "| process | RSS min–max (MiB) | RSS range | RSS trend | heap min–max (MiB) | heap range | heap trend |",
  );
  lines.push("|---|---|---|---|---|---|---|");
  for (const p of processes) {
    const series = (pick: (m: MemoryReport) => number) =>
      steady.filter((s) => s.memory[p]).map((s) => ({ x: s.seconds, y: pick(s.memory[p]!) / 2 ** 20 }));
    if (series((m) => m.rss).length < 2) continue;
    const rss = flatness(series((m) => m.rss));
    const heap = flatness(series((m) => m.heapUsed));
    const pct = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(1)}%`;
    lines.push(
      `| ${p} | ${rss.min.toFixed(1)}–${rss.max.toFixed(1)} | ${rss.rangePercent.toFixed(1)}% | ${pct(rss.trendPercent)} | ` +
        `${heap.min.toFixed(1)}–${heap.max.toFixed(1)} | ${heap.rangePercent.toFixed(1)}% | ${pct(heap.trendPercent)} |`,
    );
  }
  lines.push(
    "",
    "delivery (send acknowledged → event on the recipient's stream on the other process), per minute:",
  );
  lines.push("| minute | acknowledged | failed | delivered | p50 (ms) | p99 (ms) | max (ms) |");
  lines.push("|---|---|---|---|---|---|---|");
  const minutes = Math.ceil((samples.at(-1)?.seconds ?? 0) / 60);
  for (let m = 0; m < minutes; m++) {
    const inMinute = samples.filter((s) => s.seconds > m * 60 && s.seconds <= (m + 1) * 60);
    const sorted = inMinute.flatMap((s) => s.deliveries).sort((x, y) => x - y);
    const acked = inMinute.reduce((sum, s) => sum + s.acknowledged, 0);
    const failed = inMinute.reduce((sum, s) => sum + s.failed, 0);
    lines.push(
      `| ${m + 1} | ${acked} | ${failed} | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ` +
        `${percentile(sorted, 99).toFixed(1)} | ${percentile(sorted, 100).toFixed(1)} |`,
    );
  }
  const first = steady[0] ?? samples[0];
  const last = samples.at(-1);
  if (first && last) {
    lines.push(
      "",
      `tables after the warm-up (${first.seconds.toFixed(0)} s) and at the end (${last.seconds.toFixed(0)} s):`,
    );
    lines.push("| table | live rows | dead rows | max dead rows | table + indexes (MiB) |");
    lines.push("|---|---|---|---|---|");
    for (const t of soakTables) {
      const a = first.tables[t];
      const b = last.tables[t];
      if (!a || !b) continue;
      const maxDead = Math.max(...steady.map((s) => s.tables[t]?.deadRows ?? 0));
      lines.push(
        `| ${t} | ${a.liveRows} → ${b.liveRows} | ${a.deadRows} → ${b.deadRows} | ${maxDead} | ` +
          `${mib(a.tableBytes + a.indexBytes)} → ${mib(b.tableBytes + b.indexBytes)} |`,
      );
    }
  }
  return lines;
}
