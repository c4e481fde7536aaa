import { createHash, randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  connectPostgres,
  createPostgresUnitOfWork,
  preparePostgres,
  systemClock,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import { startEmbeddedPostgres } from "@clinic-chat/adapters/embedded";
import { type Actor, createClinicChat, defaultSettings, type NotificationDeps } from "@clinic-chat/domain";
import { createFhirRoute } from "../src/fhir/fhirRoute";
import { readPatientCsv } from "../src/routers/patientCsv";

// INTEG-2's bulk load beside ADMIN-3's CSV import of the same patients.
//
// 1. A transaction Bundle of 1,000 Patient conditional updates POSTed to /fhir/R4 over HTTP with a
//    bearer token: parsed, validated with zod, judged by the domain (the CSV import's judgement),
//    written in one unit of work. Then the same Bundle again: every entry unchanged, nothing written.
// 2. The same 1,000 patients as a CSV through the patient import (csv-parse, then importPatients),
//    into a second clinic.
// Each figure is the median of BENCH_ROUNDS rounds, each on fresh clinics. Not a test: nothing
// here asserts on time.

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const patients = Number(process.env.BENCH_PATIENTS ?? 1000);
const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function person(i: number) {
  return {
    hostId: `H${i}`,
    given: ["Ana", "Ben", "Chloe", "David", "Elena"][i % 5]!,
    family: `${["Smith", "Garcia", "Nguyen", "Okafor"][i % 4]}${i % 7}`,
    born: `19${String(40 + (i % 60)).padStart(2, "0")}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
    email: `p${i}@example.test`,
    mobile: `+4477009${String(i).padStart(5, "0")}`,
  };
}

function bundle(count: number) {
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: Array.from({ length: count }, (_, i) => {
      const p = person(i);
      return {
        resource: {
          resourceType: "Patient",
          identifier: [{ system: "urn:bench:mrn", value: p.hostId }],
          name: [{ given: [p.given], family: p.family }],
          birthDate: p.born,
          telecom: [
            { system: "email", value: p.email },
            { system: "phone", use: "mobile", value: p.mobile },
          ],
        },
        request: { method: "PUT", url: `Patient?identifier=urn:bench:mrn|${p.hostId}` },
      };
    }),
  };
}

function csv(count: number) {
  const lines = ["host_id,first_name,last_name,date_of_birth,email,mobile,sms_consent"];
  for (let i = 0; i < count; i++) {
    const p = person(i);
    lines.push(`${p.hostId},${p.given},${p.family},${p.born},${p.email},${p.mobile},no`);
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-fhir-bench-"));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  await preparePostgres({ ownerUrl: server.ownerUrl, appRole: "bench_app", appPassword: "bench" });
  const app = new URL(server.ownerUrl);
  app.username = "bench_app";
  app.password = "bench";
  const db = connectPostgres(app.toString(), { max: 2 });
  const uow = createPostgresUnitOfWork(db, {
    notificationQueue: () => ({ schedule: async () => undefined }),
  });
  const unused = () => {
    throw new Error("not used here");
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
  const route = createFhirRoute({
    chat,
    clientAddress: () => "127.0.0.1",
    limits: { perMinute: 60_000 },
  });
  const http = createServer((req, res) => {
    void route(req, res, new URL(req.url ?? "/", "http://bench.test"));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const body = JSON.stringify(bundle(patients));
  const file = csv(patients);
  const results = { bundleMs: [] as number[], againMs: [] as number[], csvMs: [] as number[] };

  for (let round = 0; round < rounds; round++) {
    const admins: Actor[] = [];
    for (const clinicId of [`bench-fhir-${round}`, `bench-csv-${round}`]) {
      const adminId = uuidV7Ids.newId();
      await uow.run(clinicId, async (s) => {
        await s.clinics.create({
          id: clinicId,
          name: clinicId,
          plan: "premium",
          timeZone: "UTC",
          settings: defaultSettings("premium"),
        });
        await s.directory.saveStaff({
          id: adminId,
          clinicId,
          name: "Bench Admin",
          email: `admin@${clinicId}.test`,
          role: "admin",
          active: true,
          availableForPatientChat: false,
          emailNotifications: false,
        });
      });
      admins.push({ clinicId, person: { kind: "staff", id: adminId } });
    }
    const secret = randomBytes(32).toString("base64url");
    const credential = await chat.createApiCredential(admins[0]!, {
      name: "Bench host",
      secretDigest: createHash("sha256").update(secret).digest("hex"),
    });
    const token = await fetch(`${base}/fhir/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: `${admins[0]!.clinicId}.${credential.id}`,
        client_secret: secret,
      }),
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const post = async () => {
      const started = performance.now();
      const response = await fetch(`${base}/fhir/R4`, {
        method: "POST",
        headers: { authorization: `Bearer ${access_token}`, "content-type": "application/fhir+json" },
        body,
      });
      const answer = (await response.json()) as { entry?: unknown[] };
      if (response.status !== 200 || answer.entry?.length !== patients)
        throw new Error(`bundle answered ${response.status}`);
      return performance.now() - started;
    };
    results.bundleMs.push(await post());
    results.againMs.push(await post());

    const started = performance.now();
    const rows = readPatientCsv(file);
    if (!rows.ok) throw new Error("bench CSV refused");
    const imported = await chat.importPatients(admins[1]!, { rows: rows.rows });
    results.csvMs.push(performance.now() - started);
    if (imported.added !== patients) throw new Error(`imported ${imported.added} of ${patients}`);
  }
  const bundleMs = median(results.bundleMs);
  const csvMs = median(results.csvMs);
  console.log(`FHIR transaction Bundle, ${patients} patients (median of ${rounds}):`);
  console.log(`  bundle over HTTP, new patients:   ${bundleMs.toFixed(0)} ms`);
  console.log(`  same bundle again, unchanged:      ${median(results.againMs).toFixed(0)} ms`);
  console.log(`  same rows through the CSV import:  ${csvMs.toFixed(0)} ms`);
  console.log(`  ratio bundle / CSV import:         ${(bundleMs / csvMs).toFixed(2)}`);
  http.close();
  await db.destroy();
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
