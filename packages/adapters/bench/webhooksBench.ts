import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { type Actor, createClinicChat, defaultSettings, type NotificationDeps } from "@clinic-chat/domain";
import { deliverWebhooks, registerWebhookEndpoint } from "@clinic-chat/domain/webhooks";
import type { PgBoss } from "pg-boss";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import {
  pgBossNotificationQueue,
  pgBossWebhookQueue,
  startBoss,
  startWebhookWorker,
} from "../src/pg-boss/index";
import { connectPostgres } from "../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";
import { createHttpsWebhookSender } from "../src/webhooks/index";
import { HttpsReceiver, selfSignedCertificate } from "../test/webhooks/httpsReceiver";

// INTEG-4: webhook deliveries per second (the domain's deliverWebhooks over PostgreSQL, signed
// HTTPS requests to a local receiver that checks every signature and answers 200 at once), beside
// pg-boss's own throughput for plain jobs with a no-op handler and the same worker settings, same
// server, same run. Not a test: nothing here asserts on time.

const conversationsCount = Number(process.env.BENCH_CONVERSATIONS ?? 200);
const messagesPerConversation = 5;
const plainJobs = 5_000;
/** Jobs in flight in the worker: the webhook worker's default. */
const concurrency = 8;
const sendConcurrency = 16;

/** A line on stderr, so a slow phase shows where it is. */
function progress(what: string): void {
  process.stderr.write(`${new Date().toISOString()} ${what}\n`);
}

/** Re-checks `done` every few milliseconds until it holds. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await delay(5);
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-webhook-bench-"));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  const certificate = selfSignedCertificate();
  const receiver = new HttpsReceiver(certificate);
  await receiver.listen();
  let boss: PgBoss | undefined;
  let stopping = false;
  try {
    const ownerUrl = server.ownerUrl.replace(/\/postgres$/, "/bench");
    const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe("create database bench");
    await admin.end();
    await preparePostgres({ ownerUrl, appRole: "bench_app", appPassword: "bench" });
    const appUrl = ownerUrl.replace("postgres:postgres@", "bench_app:bench@");
    boss = await startBoss({
      ownerUrl,
      appRole: "bench_app",
      onError: (error) => {
        if (!stopping) console.error(`pg-boss error: ${error.name}`);
      },
    });
    const db = connectPostgres(appUrl);
    const clock = { now: () => new Date() };
    const deps: NotificationDeps = {
      uow: createPostgresUnitOfWork(db, {
        notificationQueue: pgBossNotificationQueue(boss),
        webhookQueue: pgBossWebhookQueue(boss),
      }),
      blobs: {
        presignUpload: async () => ({ url: "", method: "PUT", headers: {}, expiresAt: new Date() }),
        presignDownload: async () => ({ url: "", method: "GET", headers: {}, expiresAt: new Date() }),
        inspect: async () => null,
        read: async () => null,
        write: async () => undefined,
        remove: async () => undefined,
      },
      clock,
      ids: { newId: randomUUID },
      links: { staffApp: "https://staff.example/sign-in", patientPortal: "https://portal.example/sign-in" },
      email: { send: async () => undefined },
      sms: { send: async () => undefined },
    };
    const chat = createClinicChat(deps);

    const clinicId = "bench-clinic";
    const staff: Actor = { clinicId, person: { kind: "staff", id: "bench-staff" } };
    const adminActor: Actor = { clinicId, person: { kind: "staff", id: "bench-admin" } };
    await deps.uow.run(clinicId, async (s) => {
      await s.clinics.create({
        id: clinicId,
        name: "Bench Clinic",
        plan: "premium",
        timeZone: "UTC",
        settings: { ...defaultSettings("premium"), patientChatEnabled: true },
      });
      for (const [id, role] of [
        ["bench-staff", "practitioner"],
        ["bench-admin", "admin"],
      ] as const) {
        await s.directory.saveStaff({
          id,
          clinicId,
          name: `Bench ${role}`,
          email: `${role}@bench.test`,
          role,
          active: true,
          availableForPatientChat: true,
          emailNotifications: false,
        });
      }
      for (let i = 0; i < conversationsCount; i++) {
        await s.directory.savePatient({
          id: `bench-patient-${i}`,
          clinicId,
          name: `Patient ${i}`,
          email: `patient${i}@bench.test`,
          mobilePhone: null,
          smsConsent: false,
          portalAccount: "active",
        });
      }
    });
    const { secret } = await registerWebhookEndpoint(
      { ...deps, secrets: { newSecret: () => "whsec_bench" } },
      adminActor,
      { url: receiver.url("/bench") },
    );
    receiver.trust("/bench", secret);
    progress("seeded");
    const conversations: string[] = [];
    for (let i = 0; i < conversationsCount; i++) {
      const { conversation } = await chat.startPatientChat(staff, { patientId: `bench-patient-${i}` });
      conversations.push(conversation.id);
    }

    // Sends record their events and queue the delivery jobs in their own transactions; no worker yet.
    let started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: sendConcurrency }, async () => {
        for (let i = next++; i < conversationsCount; i = next++) {
          for (let m = 0; m < messagesPerConversation; m++) {
            await chat.sendMessage(staff, {
              conversationId: conversations[i]!,
              clientId: randomUUID(),
              text: `m${m}`,
            });
          }
        }
      }),
    );
    const sendSeconds = (performance.now() - started) / 1000;
    progress(`sent ${conversationsCount * messagesPerConversation} messages`);
    const owner = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
    const [recorded] = await owner`select count(*)::int as count from webhook_events`;
    const events = Number(recorded?.count);
    await owner.unsafe("checkpoint");

    // Deliver them.
    const sender = createHttpsWebhookSender({ clock, extraCaCerts: certificate.cert });
    started = performance.now();
    const worker = await startWebhookWorker({
      boss,
      deliver: (job) => deliverWebhooks({ uow: deps.uow, clock, sender }, job),
      concurrency,
    });
    await until(() => receiver.accepted.length >= events);
    progress(`delivered ${events}`);
    await owner.unsafe("checkpoint");
    const deliverySeconds = (performance.now() - started) / 1000;
    await worker.stop();

    // pg-boss alone: plain jobs, a handler that does nothing, the webhook worker's fetch settings.
    const plainQueue = "bench.plain";
    await boss.createQueue(plainQueue);
    for (let i = 0; i < plainJobs; i += 1_000) {
      await boss.insert(
        plainQueue,
        Array.from({ length: Math.min(1_000, plainJobs - i) }, (_, j) => ({ data: { n: i + j } })),
      );
    }
    await owner.unsafe("checkpoint");
    let plainDone = 0;
    started = performance.now();
    await boss.work(
      plainQueue,
      {
        batchSize: Math.ceil(concurrency / 2),
        localConcurrency: 2,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: 1,
      },
      async (jobs) => {
        plainDone += jobs.length;
      },
    );
    await until(() => plainDone >= plainJobs);
    const plainSeconds = (performance.now() - started) / 1000;
    await boss.offWork(plainQueue, { wait: true });
    await owner.end();
    await db.destroy();

    const messages = conversationsCount * messagesPerConversation;
    const deliveryRate = events / deliverySeconds;
    const plainRate = plainJobs / plainSeconds;
    console.log(
      `\n${messages} messages into ${conversationsCount} patient conversations, sent in ${sendSeconds.toFixed(1)} s ` +
        `(${(messages / sendSeconds).toFixed(0)} messages/s, ${sendConcurrency} at once, events and delivery jobs ` +
        `recorded in the same transactions): ${events} webhook events for one endpoint.`,
    );
    console.log(
      `Worker: ${concurrency} conversations in flight, one job per conversation, events of a conversation one after ` +
        `another; HTTPS to a local receiver checking each signature; ${receiver.badSignatures.length} bad signatures.\n`,
    );
    console.log(["run", "count", "seconds", "per second"].join(" | "));
    console.log(["---", "---:", "---:", "---:"].join(" | "));
    console.log(
      [
        "webhook deliveries (deliverWebhooks, signed HTTPS)",
        events,
        deliverySeconds.toFixed(2),
        deliveryRate.toFixed(0),
      ].join(" | "),
    );
    console.log(
      ["pg-boss plain jobs, no-op handler", plainJobs, plainSeconds.toFixed(2), plainRate.toFixed(0)].join(
        " | ",
      ),
    );
    console.log(
      `\nratio: webhook deliveries per second are ${((deliveryRate / plainRate) * 100).toFixed(1)} % of pg-boss's ` +
        `plain jobs per second with the same worker settings.`,
    );
  } finally {
    stopping = true;
    await boss?.stop({ graceful: false });
    await receiver.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
