import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  connectPostgres,
  createPostgresUnitOfWork,
  openPostgres,
  preparePostgres,
  systemClock,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import { startEmbeddedPostgres } from "@clinic-chat/adapters/embedded";
import { type Actor, createClinicChat, defaultSettings, type NotificationDeps } from "@clinic-chat/domain";
import { readPatientCsv } from "../src/routers/patientCsv";

// ADMIN-3's CSV import at a clinic's full size, beside the plainest way to put the same rows in.
//
// 1. The product's import of 10,000 patients: the CSV read at the edge (csv-parse), every row
//    judged by the domain (importPatients: details checked, host ids looked up), then written in
//    one unit of work by the directory, with the name-search index the triggers keep. Then the
//    same file again: every row an update by host id.
// 2. Baseline: the same 10,000 rows as one multi-row INSERT per 5,000 rows through postgres.js as
//    the application role, in one transaction with the clinic set (row-level security on), into a
//    second clinic: no parsing, no checks, no look-ups, the same triggers.
// 3. Patient name search (20 results) through the directory after the import, p50 and p99: right
//    after it, and again once the tables are analysed, as autovacuum does soon after a bulk write.
// Each figure is the median of BENCH_ROUNDS rounds, each on a fresh pair of clinics. Not a test:
// nothing here asserts on time.

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const patients = Number(process.env.BENCH_PATIENTS ?? 10_000);
const searches = Number(process.env.BENCH_SEARCHES ?? 500);
/** Set BENCH_VERBOSE to see each search query's figures too. */
const verbose = Boolean(process.env.BENCH_VERBOSE);

const firstNames = [
  "Ana",
  "Ben",
  "Chloe",
  "David",
  "Elena",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "Jon",
  "Kira",
  "Liam",
];
const lastNames = [
  "Smith",
  "Garcia",
  "Nguyen",
  "Okafor",
  "Rossi",
  "Schmidt",
  "Kowalski",
  "Tanaka",
  "Silva",
  "Brown",
];

const endings = ["", "son", "ley", "ford", "well", "ton", "man", "by"];

function csvOf(count: number, suffix: string): string {
  const lines = ["host_id,first_name,last_name,date_of_birth,email,mobile,sms_consent"];
  for (let i = 0; i < count; i++) {
    const first = firstNames[i % firstNames.length];
    // 10 surnames and 8 endings: 80 distinct surnames, as a clinic has many people per surname.
    const last = `${lastNames[i % lastNames.length]}${endings[Math.floor(i / lastNames.length) % endings.length]}${suffix}`;
    const born = `19${String(40 + (i % 60)).padStart(2, "0")}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
    lines.push(
      `H${i},${first},${last},${born},p${i}@example.test,+4477009${String(i).padStart(5, "0")},${i % 2 ? "yes" : "no"}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-import-bench-"));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  const ownerUrl = server.ownerUrl;
  await preparePostgres({ ownerUrl, appRole: "bench_app", appPassword: "bench" });
  const app = new URL(ownerUrl);
  app.username = "bench_app";
  app.password = "bench";
  const appUrl = app.toString();
  const db = connectPostgres(appUrl, { max: 2 });
  const uow = createPostgresUnitOfWork(db, {
    notificationQueue: () => ({ schedule: async () => undefined }),
  });
  const owner = openPostgres(ownerUrl, { max: 1, onnotice: () => undefined });
  const raw = openPostgres(appUrl, { max: 1, onnotice: () => undefined });
  const unused = () => {
    throw new Error("not used by the import");
  };
  const deps = {
    uow,
    clock: systemClock,
    ids: uuidV7Ids,
    links: { staffApp: "http://bench.test/staff", patientPortal: "http://bench.test/portal" },
    blobs: { createUpload: unused, createDownload: unused, stat: unused, remove: unused },
    email: { send: unused },
    sms: { send: unused },
  } as unknown as NotificationDeps;
  const chat = createClinicChat(deps);

  const results = {
    importMs: [] as number[],
    reimportMs: [] as number[],
    insertMs: [] as number[],
    p50: [] as number[],
    p99: [] as number[],
    analysedP50: [] as number[],
    analysedP99: [] as number[],
  };
  const queries = ["ana", "garcia", "smithson", "kira okafor", "schmdt", "grace tanaka", "rosi", "hugo"];
  for (let round = 0; round < rounds; round++) {
    const clinicId = `bench-import-${round}`;
    const baselineClinic = `bench-insert-${round}`;
    const adminId = uuidV7Ids.newId();
    for (const id of [clinicId, baselineClinic])
      await uow.run(id, (s) =>
        s.clinics.create({
          id,
          name: id,
          plan: "premium",
          timeZone: "UTC",
          settings: defaultSettings("premium"),
        }),
      );
    await uow.run(clinicId, (s) =>
      s.directory.saveStaff({
        id: adminId,
        clinicId,
        name: "Bench Admin",
        email: `admin-${round}@bench.test`,
        role: "admin",
        active: true,
        availableForPatientChat: false,
        emailNotifications: false,
      }),
    );
    const actor: Actor = { clinicId, person: { kind: "staff", id: adminId } };
    const csv = csvOf(patients, "");

    let started = performance.now();
    const file = readPatientCsv(csv);
    if (!file.ok) throw new Error(`bench CSV refused: ${file.problem.problem}`);
    const imported = await chat.importPatients(actor, { rows: file.rows });
    results.importMs.push(performance.now() - started);
    if (imported.added !== patients) throw new Error(`imported ${imported.added} of ${patients}`);

    started = performance.now();
    const again = readPatientCsv(csvOf(patients, "e"));
    if (!again.ok) throw new Error("bench CSV refused");
    const updated = await chat.importPatients(actor, { rows: again.rows });
    results.reimportMs.push(performance.now() - started);
    if (updated.updated !== patients) throw new Error(`updated ${updated.updated} of ${patients}`);

    // The baseline's rows: the same values, already split and typed, as a bulk load would have them.
    const rows = file.rows.map((row) => ({
      clinic_id: baselineClinic,
      id: uuidV7Ids.newId(),
      name: `${row.firstName} ${row.lastName}`,
      email: row.email ?? null,
      mobile_phone: row.mobilePhone ?? null,
      sms_consent: row.smsConsent === "yes",
      portal_account: "none",
      date_of_birth: row.dateOfBirth,
      host_id: row.hostId,
    }));
    started = performance.now();
    await raw.begin(async (tx) => {
      await tx`select set_config('app.clinic_id', ${baselineClinic}, true)`;
      for (let at = 0; at < rows.length; at += 5000)
        await tx`insert into patients ${tx(rows.slice(at, at + 5000))}`;
    });
    results.insertMs.push(performance.now() - started);

    const searchTimes = async () => {
      const times: number[] = [];
      const byQuery = new Map<string, number[]>();
      for (let i = 0; i < searches; i++) {
        const query = queries[i % queries.length]!;
        const t = performance.now();
        await uow.run(clinicId, (s) => s.directory.searchPatients(query, 20));
        const ms = performance.now() - t;
        times.push(ms);
        byQuery.set(query, [...(byQuery.get(query) ?? []), ms]);
      }
      if (verbose)
        for (const [query, list] of byQuery) {
          list.sort((a, b) => a - b);
          console.log(
            `    ${query}: p50 ${percentile(list, 50).toFixed(2)} ms, p99 ${percentile(list, 99).toFixed(2)} ms`,
          );
        }
      return times.sort((a, b) => a - b);
    };
    const fresh = await searchTimes();
    results.p50.push(percentile(fresh, 50));
    results.p99.push(percentile(fresh, 99));
    // What autovacuum's analyze does a little later on its own: the planner learns the new rows.
    await owner.unsafe("analyze patients, name_words, name_vocabulary");
    const analysed = await searchTimes();
    results.analysedP50.push(percentile(analysed, 50));
    results.analysedP99.push(percentile(analysed, 99));
  }

  const rate = (ms: number) => Math.round(patients / (ms / 1000)).toLocaleString("en-US");
  const line = (label: string, ms: number) =>
    console.log(
      `  ${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${rate(ms).padStart(8)} rows/s`,
    );
  console.log(
    `\nPatient CSV import (ADMIN-3), ${patients.toLocaleString("en-US")} rows, median of ${rounds} rounds:`,
  );
  line("import (csv-parse + domain + one unit of work)", median(results.importMs));
  line("re-import, every row an update by host id", median(results.reimportMs));
  line("baseline: plain multi-row INSERT", median(results.insertMs));
  const search = (label: string, p50: number[], p99: number[]) =>
    console.log(
      `  patient name search (20), ${label}: p50 ${median(p50).toFixed(2)} ms, p99 ${median(p99).toFixed(2)} ms (target p99 < 15 ms)`,
    );
  search("right after the import", results.p50, results.p99);
  search("once the tables are analysed", results.analysedP50, results.analysedP99);

  await Promise.all([db.destroy(), raw.end(), owner.end()]);
  await server.stop();
  await rm(root, { recursive: true, force: true });
}

await main();
