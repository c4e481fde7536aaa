import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { NotificationQueue, PersonRef, Stores } from "@clinic-chat/domain";
import { type CompiledQuery, Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import { connectPostgres } from "../src/postgres/connectPostgres";
import type { Database } from "../src/postgres/Database";
import { createPostgresUnitOfWork } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";
import { bigClinic, busyStaff, seed } from "./seed";

// Prints p50/p99 of the queries that matter, through the adapter and as the same SQL sent
// directly through postgres.js, on a seeded database. Not a test: nothing here asserts on time.

const warmup = Number(process.env.BENCH_WARMUP ?? 200);
const iterations = Number(process.env.BENCH_ITERATIONS ?? 1000);
/** Set BENCH_DIR to keep the seeded server between runs (seeding is skipped when it is there). */
const keptDirectory = process.env.BENCH_DIR;

interface Case {
  readonly name: string;
  readonly target: string;
  readonly inputs: readonly ((stores: Stores) => Promise<unknown>)[];
}

const noQueue: NotificationQueue = { schedule: async () => undefined };
const staff: PersonRef = { kind: "staff", id: busyStaff };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

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

  // The exact statements the adapter issues for one input, captured from kysely's log.
  const captured: CompiledQuery[] = [];
  const capturing = new Kysely<Database>({
    dialect: new PostgresJSDialect({ postgres: postgres(appUrl, { max: 1, onnotice: () => undefined }) }),
    log: (event) => {
      // begin/commit are sent by postgres.js's own `begin` on the direct side.
      if (event.level === "query" && !/^(begin|commit|rollback)\b/i.test(event.query.sql))
        captured.push(event.query);
    },
  });
  const captureUow = createPostgresUnitOfWork(capturing, { notificationQueue: () => noQueue });

  const cases: Case[] = [
    {
      name: "conversation list (20, unread counts)",
      target: "p99 < 10 ms",
      inputs: [(s) => s.conversations.listFor(staff, { limit: 20 })],
    },
    {
      name: "history page (50 by seq cursor)",
      target: "p99 < 5 ms",
      inputs: [2069, 1500, 1000, 700, 400, 51].map(
        (beforeSeq, i) => (s: Stores) =>
          s.messages.history(`${bigClinic}-v${String(i).padStart(6, "0")}`, { limit: 50, beforeSeq }),
      ),
    },
    {
      name: "patient name search (20)",
      target: "p99 < 15 ms",
      inputs: ["smi", "garcia", "jonh", "maria lopez", "hernandes", "pat", "kathleen wood", "rodrigez"].map(
        (q) => (s: Stores) => s.directory.searchPatients(q, 20),
      ),
    },
  ];

  console.log(`\n${iterations} runs each after ${warmup} warm-up runs; times in ms\n`);
  console.log(
    ["query", "adapter p50", "adapter p99", "raw p50", "raw p99", "ratio p50", "ratio p99", "target"].join(
      " | ",
    ),
  );
  for (const benchCase of cases) {
    const replays: CompiledQuery[][] = [];
    for (const input of benchCase.inputs) {
      captured.length = 0;
      await captureUow.run(bigClinic, input);
      replays.push([...captured]);
    }
    const adapter: number[] = [];
    const direct: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const which = i % benchCase.inputs.length;
      started = performance.now();
      await uow.run(bigClinic, benchCase.inputs[which]!);
      const a = performance.now() - started;
      started = performance.now();
      await raw.begin(async (tx) => {
        for (const q of replays[which]!)
          await tx.unsafe(q.sql, [...q.parameters] as never[], { prepare: true });
      });
      const r = performance.now() - started;
      if (i >= warmup) {
        adapter.push(a);
        direct.push(r);
      }
    }
    if (process.env.BENCH_VERBOSE) {
      for (let w = 0; w < benchCase.inputs.length; w++) {
        const mine = adapter
          .filter((_, i) => (i + warmup) % benchCase.inputs.length === w)
          .sort((x, y) => x - y);
        console.log(
          `  input ${w}: p50 ${percentile(mine, 50).toFixed(2)} p99 ${percentile(mine, 99).toFixed(2)}`,
        );
      }
    }
    adapter.sort((x, y) => x - y);
    direct.sort((x, y) => x - y);
    const [a50, a99, r50, r99] = [
      percentile(adapter, 50),
      percentile(adapter, 99),
      percentile(direct, 50),
      percentile(direct, 99),
    ];
    console.log(
      [
        benchCase.name,
        a50.toFixed(2),
        a99.toFixed(2),
        r50.toFixed(2),
        r99.toFixed(2),
        `${(a50 / r50).toFixed(2)}x`,
        `${(a99 / r99).toFixed(2)}x`,
        benchCase.target,
      ].join(" | "),
    );
  }

  await Promise.all([db.destroy(), raw.end(), capturing.destroy()]);
  await server.stop();
  if (!keptDirectory) await rm(root, { recursive: true, force: true });
}

await main();
