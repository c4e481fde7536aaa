import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";
import type { NotificationQueue } from "@clinic-chat/domain";
import { Kysely } from "kysely";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import { connectPostgres, pipelinedPostgresDialect } from "../src/postgres/connectPostgres";
import type { Database } from "../src/postgres/Database";
import { createPostgresUnitOfWork } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";
import { allCases } from "./benchCases";
import { type Figures, figures, medianOf } from "./benchFigures";
import { bigClinic, busyStaff, seed } from "./seed";

// Issue 4's benchmark. Prints p50/p99 of the queries that matter, through the adapter (the unit
// of work and its stores, as a use case runs them) and as the same SQL sent directly through
// postgres.js, on a seeded database, with the targets and whether they are met.
//
// What "the same SQL" means: for each input, every statement the adapter sends is captured once
// (postgres.js's debug hook under the adapter's own driver, so transaction-local settings, a plan
// setting around one statement included, are captured in their place). The direct side then
// replays them in the same transaction shape the adapter uses: on one reserved connection, BEGIN
// and every setting (`select set_config(...)`) go out ahead, in the same write as the query after
// them, each query waits for its answer, then COMMIT (BEGIN and COMMIT as simple-protocol
// messages, as the adapter's driver sends them). Both sides thus make the same round trips; the
// ratio is what the adapter adds on top (kysely, building and mapping rows, the unit of work).
//
// Occasional pauses: each round prints this process's garbage collections while it measures.
// Node 24 lets V8's young generation grow to tens of MB, and each scavenge then stops the process
// for 10-20 ms: about ten per case and round (4,000 runs), landing on either side. With other
// programs on a shared machine, they make the slowest runs. `npm run bench` therefore runs this
// file with `--max-semi-space-size=4`, which trades them for many pauses of about 1 ms; both sides
// share the process, so the flag changes the noise, not the comparison. Each side goes first
// every other pass, so that neither always runs right after the other.

const warmup = Number(process.env.BENCH_WARMUP ?? 200);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 2000);
/**
 * The whole measurement is repeated, and each figure reported as its median over the rounds: on
 * a shared machine one burst of someone else's work can otherwise decide a p99 on its own.
 */
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** Set BENCH_DIR to keep the seeded server between runs (seeding is skipped when it is there). */
const keptDirectory = process.env.BENCH_DIR;
/** Set BENCH_VERBOSE to see each input's figures too. */
const verbose = Boolean(process.env.BENCH_VERBOSE);
/**
 * Set BENCH_ONLY to measure only the cases whose names begin with one of these, e.g. "inbox" or
 * "conversation list,history page".
 */
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim().toLowerCase()) ?? null;
/** The most the adapter may add over the direct SQL, at p50 and p99. */
const maxRatio = 1.3;

interface Statement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

const noQueue: NotificationQueue = { schedule: async () => undefined };

const cases = allCases.filter(
  (c) => only === null || only.some((name) => c.name.toLowerCase().startsWith(name)),
);

async function main(): Promise<void> {
  const root = keptDirectory ?? (await mkdtemp(join(tmpdir(), "clinic-chat-bench-")));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  const ownerUrl = server.ownerUrl.replace(/\/postgres$/, "/bench");
  const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
  const fresh = (await admin`select 1 from pg_database where datname = 'bench'`).length === 0;
  if (fresh) await admin.unsafe("create database bench");
  await admin.end();
  await preparePostgres({ ownerUrl, appRole: "bench_app", appPassword: "bench" });
  const appUrl = Object.assign(new URL(ownerUrl), { username: "bench_app", password: "bench" }).toString();

  const owner = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
  const started = performance.now();
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
  // Through the adapter's own driver, so that what it sends around a statement (a plan setting) is seen.
  const capturing = new Kysely<Database>({ dialect: pipelinedPostgresDialect(capturePool, undefined) });
  const captureUow = createPostgresUnitOfWork(capturing, { notificationQueue: () => noQueue });

  /** Named prepared statements over the extended protocol, as the adapter's driver sends them. */
  const prepared = { prepare: true, simple: false } as postgres.UnsafeQueryOptions;
  /** The captured statements, sent directly in the adapter's transaction shape (see the top). */
  async function direct(statements: readonly Statement[]): Promise<void> {
    const connection = await raw.reserve();
    try {
      const ahead = [connection.unsafe("begin").execute()];
      for (const { sql, parameters } of statements) {
        const query = connection.unsafe(sql, [...parameters] as never[], prepared);
        if (/^\s*select set_config\(/i.test(sql)) ahead.push(query.execute());
        else await query;
      }
      await Promise.all(ahead);
      await connection.unsafe("commit");
    } finally {
      connection.release();
    }
  }

  // The statements of each input, captured once.
  const replays: Statement[][][] = [];
  for (const benchCase of cases) {
    const perInput: Statement[][] = [];
    for (const input of benchCase.inputs) {
      captured.length = 0;
      await captureUow.run(bigClinic, input.run);
      perInput.push([...captured]);
    }
    replays.push(perInput);
  }

  async function timed(run: () => Promise<unknown>): Promise<number> {
    const start = performance.now();
    await run();
    return performance.now() - start;
  }

  /** One case, measured: adapter and direct in turn, the inputs in turn. */
  // Garbage collections of this process while a case is measured: its occasional pauses.
  const pauses: number[] = [];
  let measuring = false;
  const collections = new PerformanceObserver((list) => {
    if (measuring) for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  collections.observe({ entryTypes: ["gc"] });

  async function measure(c: number): Promise<{ all: Figures; byInput: Figures[]; gc: string }> {
    const benchCase = cases[c]!;
    pauses.length = 0;
    const adapter: number[][] = benchCase.inputs.map(() => []);
    const plain: number[][] = benchCase.inputs.map(() => []);
    for (let i = 0; i < warmup + iterations; i++) {
      const which = i % benchCase.inputs.length;
      // Each side goes first every other pass over the inputs: neither always follows the other.
      const adapterFirst = Math.floor(i / benchCase.inputs.length) % 2 === 0;
      let r = 0;
      if (!adapterFirst) r = await timed(() => direct(replays[c]![which]!));
      const a = await timed(() => uow.run(bigClinic, benchCase.inputs[which]!.run));
      if (adapterFirst) r = await timed(() => direct(replays[c]![which]!));
      measuring = i + 1 >= warmup;
      if (i >= warmup) {
        adapter[which]!.push(a);
        plain[which]!.push(r);
      }
    }
    measuring = false;
    // Let the observer deliver the last entries.
    await new Promise((resolve) => setImmediate(resolve));
    return {
      all: figures(adapter.flat(), plain.flat()),
      byInput: adapter.map((a, w) => figures(a, plain[w]!)),
      gc: `${pauses.length} GC pauses, longest ${Math.max(0, ...pauses).toFixed(1)} ms`,
    };
  }

  console.log(
    `\n${rounds} rounds; in each, ${iterations} runs of each case after ${warmup} warm-up runs, ` +
      "adapter and direct in turn, the inputs in turn; times in ms. Figures are the median over the rounds.\n",
  );
  const results: { all: Figures; byInput: Figures[]; gc: string }[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let c = 0; c < cases.length; c++) results[c]!.push(await measure(c));
    console.log(`round ${round + 1}:`);
    cases.forEach((benchCase, c) => {
      const { all: f, gc } = results[c]![round]!;
      console.log(
        `  ${benchCase.name}: p99 ${f.a99.toFixed(2)} ms, ${f.ratio99.toFixed(2)}x the direct SQL; ${gc}`,
      );
    });
  }

  const header = [
    "query",
    "adapter p50",
    "adapter p99",
    "direct p50",
    "direct p99",
    "ratio p50",
    "ratio p99",
  ];
  const rowOf = (label: string, f: Figures) => [
    label,
    f.a50.toFixed(2),
    f.a99.toFixed(2),
    f.r50.toFixed(2),
    f.r99.toFixed(2),
    `${f.ratio50.toFixed(2)}x`,
    `${f.ratio99.toFixed(2)}x`,
  ];
  const rows: string[][] = [];
  const summaries = cases.map((benchCase, c) => {
    const all = medianOf(results[c]!.map((r) => r.all));
    rows.push(rowOf(benchCase.name, all));
    if (verbose)
      benchCase.inputs.forEach((input, w) => {
        rows.push(rowOf(`  ${input.label}`, medianOf(results[c]!.map((r) => r.byInput[w]!))));
      });
    return all;
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" | ");
  console.log(`\n${line(header)}`);
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const row of rows) console.log(line(row));

  console.log("\ntargets (issue 4; the inbox views, issue 16):");
  cases.forEach((benchCase, c) => {
    const f = summaries[c]!;
    const fast = f.a99 < benchCase.p99Target;
    const close = f.ratio50 <= maxRatio && f.ratio99 <= maxRatio;
    console.log(
      `  ${fast && close ? "PASS" : "FAIL"}  ${benchCase.name}: p99 ${f.a99.toFixed(2)} ms ` +
        `(target < ${benchCase.p99Target} ms${fast ? "" : ", missed"}), ${f.ratio50.toFixed(2)}x / ` +
        `${f.ratio99.toFixed(2)}x the direct SQL at p50 / p99 (target <= ${maxRatio}x${close ? "" : ", missed"})`,
    );
  });

  collections.disconnect();
  await Promise.all([db.destroy(), raw.end(), capturing.destroy()]);
  await server.stop();
  if (!keptDirectory) await rm(root, { recursive: true, force: true });
}

await main();
