import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { NotificationQueue, PersonRef, Stores } from "@clinic-chat/domain";
import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import { connectPostgres } from "../src/postgres/connectPostgres";
import type { Database } from "../src/postgres/Database";
import { createPostgresUnitOfWork } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";
import { bigClinic, busyStaff, seed } from "./seed";

// Issue 4's benchmark. Prints p50/p99 of the queries that matter, through the adapter (the unit
// of work and its stores, as a use case runs them) and as the same SQL sent directly through
// postgres.js, on a seeded database, with the targets and whether they are met.
//
// What "the same SQL" means: for each input, every statement the adapter sends is captured once
// (postgres.js's debug hook, so transaction-local settings are included). The direct side then
// replays them in the same transaction shape the adapter uses: on one reserved connection, BEGIN
// and the settings (`select set_config(...)`) go out ahead, in the same write as the first query,
// each further query waits for the one before, then COMMIT. Both sides thus make the same round
// trips; the ratio is what the adapter adds on top (kysely, mapping rows, the unit of work).

const warmup = Number(process.env.BENCH_WARMUP ?? 200);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
/** Set BENCH_DIR to keep the seeded server between runs (seeding is skipped when it is there). */
const keptDirectory = process.env.BENCH_DIR;
/** Set BENCH_VERBOSE to see each input's figures too. */
const verbose = Boolean(process.env.BENCH_VERBOSE);
/** The most the adapter may add over the direct SQL, at p50 and p99. */
const maxRatio = 1.3;

interface Case {
  readonly name: string;
  /** Target p99 through the adapter, ms. */
  readonly p99Target: number;
  readonly inputs: readonly { readonly label: string; readonly run: (stores: Stores) => Promise<unknown> }[];
}

interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

const noQueue: NotificationQueue = { schedule: async () => undefined };
const staff: PersonRef = { kind: "staff", id: busyStaff };

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const cases: Case[] = [
  {
    name: "conversation list (20, unread counts)",
    p99Target: 10,
    inputs: [{ label: "busy staff member", run: (s) => s.conversations.listFor(staff, { limit: 20 }) }],
  },
  {
    name: "history page (50 by seq cursor)",
    p99Target: 5,
    inputs: [2069, 1500, 1000, 700, 400, 51].map((beforeSeq, i) => ({
      label: `before seq ${beforeSeq}`,
      run: (s: Stores) =>
        s.messages.history(`${bigClinic}-v${String(i).padStart(6, "0")}`, { limit: 50, beforeSeq }),
    })),
  },
  {
    name: "patient name search (20)",
    p99Target: 15,
    // Prefixes as typed, full names, and typos (`jonh`, `hernandes`, `rodrigez`; `maria` is no
    // first name here, so `maria lopez` is a typo too).
    inputs: ["smi", "garcia", "jonh", "maria lopez", "hernandes", "pat", "kathleen wood", "rodrigez"].map(
      (q) => ({ label: q, run: (s: Stores) => s.directory.searchPatients(q, 20) }),
    ),
  },
];

async function main(): Promise<void> {
  const root = keptDirectory ?? (await mkdtemp(join(tmpdir(), "clinic-chat-bench-")));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  const ownerUrl = server.ownerUrl.replace(/\/postgres$/, "/bench");
  const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
  const fresh = (await admin`select 1 from pg_database where datname = 'bench'`).length === 0;
  if (fresh) await admin.unsafe("create database bench");
  await admin.end();
  await preparePostgres({ ownerUrl, appRole: "bench_app", appPassword: "bench" });
  const appUrl = ownerUrl.replace("postgres:postgres@", "bench_app:bench@");

  const owner = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  let started = performance.now();
  if (fresh) await seed(owner);
  await owner.unsafe("checkpoint");
  const counts = await owner`select (select count(*) from clinics) clinics, (select count(*) from patients
    where clinic_id = ${bigClinic}) big_patients, (select count(*) from staff where clinic_id = ${bigClinic}) big_staff,
    (select count(*) from messages) messages, (select count(*) from conversation_participants
    where person_id = ${busyStaff}) busy_conversations`;
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s:`, counts[0]);
  await owner.end();

  const db = connectPostgres(appUrl, { max: 2 });
  const uow = createPostgresUnitOfWork(db, { notificationQueue: () => noQueue });
  const raw = postgres(appUrl, { max: 2, onnotice: () => undefined });

  // Every statement the adapter sends for one input, from postgres.js's debug hook.
  const captured: Statement[] = [];
  const capturePool = postgres(appUrl, {
    max: 1,
    onnotice: () => undefined,
    debug: (_connection, query, parameters) => {
      if (!/^\s*(begin|commit|rollback)\s*$/i.test(query)) captured.push({ sql: query, parameters });
    },
  });
  // Connected first, so that postgres.js's own start-up queries (array types) are not captured.
  await capturePool`select 1`;
  const capturing = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: capturePool }) });
  const captureUow = createPostgresUnitOfWork(capturing, { notificationQueue: () => noQueue });

  /** The captured statements, sent directly in the adapter's transaction shape (see the top). */
  async function direct(statements: readonly Statement[]): Promise<void> {
    const connection = await raw.reserve();
    try {
      const ahead = [connection.unsafe("begin", [], { prepare: true }).execute()];
      let i = 0;
      for (; i < statements.length && /^\s*select set_config\(/i.test(statements[i]!.sql); i++) {
        const { sql, parameters } = statements[i]!;
        ahead.push(connection.unsafe(sql, [...parameters] as never[], { prepare: true }).execute());
      }
      for (; i < statements.length; i++) {
        const { sql, parameters } = statements[i]!;
        await connection.unsafe(sql, [...parameters] as never[], { prepare: true });
      }
      await Promise.all(ahead);
      await connection.unsafe("commit", [], { prepare: true });
    } finally {
      connection.release();
    }
  }

  console.log(
    `\n${iterations} runs of each case after ${warmup} warm-up runs, inputs in turn; times in ms\n`,
  );
  const header = [
    "query",
    "adapter p50",
    "adapter p99",
    "direct p50",
    "direct p99",
    "ratio p50",
    "ratio p99",
  ];
  const rows: string[][] = [];
  for (const benchCase of cases) {
    const replays: Statement[][] = [];
    for (const input of benchCase.inputs) {
      captured.length = 0;
      await captureUow.run(bigClinic, input.run);
      replays.push([...captured]);
      if (process.env.BENCH_SHOW)
        console.log(
          captured.map((c) => `${c.sql.slice(0, 100)} ${JSON.stringify(c.parameters).slice(0, 100)}`),
        );
    }
    const adapter: number[] = [];
    const plain: number[] = [];
    const byInput = benchCase.inputs.map(() => ({ adapter: [] as number[], plain: [] as number[] }));
    for (let i = 0; i < warmup + iterations; i++) {
      const which = i % benchCase.inputs.length;
      started = performance.now();
      await uow.run(bigClinic, benchCase.inputs[which]!.run);
      const a = performance.now() - started;
      started = performance.now();
      await direct(replays[which]!);
      const r = performance.now() - started;
      if (i >= warmup) {
        adapter.push(a);
        plain.push(r);
        byInput[which]!.adapter.push(a);
        byInput[which]!.plain.push(r);
      }
    }
    const figures = (a: number[], r: number[]) => {
      a.sort((x, y) => x - y);
      r.sort((x, y) => x - y);
      const [a50, a99, r50, r99] = [
        percentile(a, 50),
        percentile(a, 99),
        percentile(r, 50),
        percentile(r, 99),
      ];
      return { a50, a99, r50, r99, ratio50: a50 / r50, ratio99: a99 / r99 };
    };
    const f = figures(adapter, plain);
    rows.push([
      benchCase.name,
      f.a50.toFixed(2),
      f.a99.toFixed(2),
      f.r50.toFixed(2),
      f.r99.toFixed(2),
      `${f.ratio50.toFixed(2)}x`,
      `${f.ratio99.toFixed(2)}x`,
    ]);
    if (verbose) {
      benchCase.inputs.forEach((input, w) => {
        const g = figures(byInput[w]!.adapter, byInput[w]!.plain);
        rows.push([
          `  ${input.label}`,
          g.a50.toFixed(2),
          g.a99.toFixed(2),
          g.r50.toFixed(2),
          g.r99.toFixed(2),
          `${g.ratio50.toFixed(2)}x`,
          `${g.ratio99.toFixed(2)}x`,
        ]);
      });
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of rows) console.log(line(row));

  console.log("\ntargets (issue 4):");
  for (const benchCase of cases) {
    const row = rows.find((r) => r[0] === benchCase.name)!;
    const p99 = Number(row[2]);
    const ratios = [Number.parseFloat(row[5]!), Number.parseFloat(row[6]!)];
    const ok = p99 < benchCase.p99Target && ratios.every((r) => r <= maxRatio);
    console.log(
      `  ${ok ? "PASS" : "FAIL"}  ${benchCase.name}: p99 ${row[2]} ms < ${benchCase.p99Target} ms, ` +
        `within ${maxRatio}x of the direct SQL (${row[5]} p50, ${row[6]} p99)`,
    );
  }

  await Promise.all([db.destroy(), raw.end(), capturing.destroy()]);
  await server.stop();
  if (!keptDirectory) await rm(root, { recursive: true, force: true });
}

await main();
