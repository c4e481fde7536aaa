import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import {
  type Actor,
  createClinicChat,
  defaultSettings,
  type EmailSender,
  type NotificationDeps,
} from "@clinic-chat/domain";
import type { PgBoss } from "pg-boss";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../src/embedded/embeddedPostgres";
import { pgBossNotificationQueue, startBoss, startNotificationWorker } from "../src/pg-boss/index";
import { connectPostgres } from "../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../src/postgres/PostgresUnitOfWork";
import { preparePostgres } from "../src/postgres/preparePostgres";

// Notification timers drained per second by the worker (the domain's handleNotificationTimer
// over PostgreSQL, with an email sender that does nothing, so SMTP is not what is measured),
// beside pg-boss's own throughput for plain jobs with a no-op handler, same worker settings, same
// server, same run. Not a test: nothing here asserts on time.

const recipients = 1_000;
const messagesPerRecipient = 10;
const plainJobs = 10_000;
/** Jobs in flight in the worker: its default. */
const concurrency = 16;
/** Sends in flight while queueing the messages, each to another conversation. */
const sendConcurrency = 16;

interface Row {
  readonly run: string;
  readonly jobs: number;
  readonly seconds: number;
}

/** Re-checks `done` every few milliseconds until it holds (a benchmark may poll). */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await done())) await delay(5);
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-notif-bench-"));
  const server = await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  let boss: PgBoss | undefined;
  let stopping = false;
  try {
    const ownerUrl = server.ownerUrl.replace(/\/postgres$/, "/bench");
    const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
    await admin.unsafe("create database bench");
    await admin.end();
    await preparePostgres({ ownerUrl, appRole: "bench_app", appPassword: "bench" });
    const appUrl = Object.assign(new URL(ownerUrl), { username: "bench_app", password: "bench" }).toString();
    boss = await startBoss({
      ownerUrl,
      appRole: "bench_app",
      // The server stops right after pg-boss: its pool's last sockets may see the shutdown.
      onError: (error) => {
        if (!stopping) console.error(`pg-boss error: ${error.name}`);
      },
    });
    const db = connectPostgres(appUrl);

    let emails = 0;
    const nullEmail: EmailSender = {
      async send() {
        emails++;
      },
    };
    const deps: NotificationDeps = {
      uow: createPostgresUnitOfWork(db, { notificationQueue: pgBossNotificationQueue(boss) }),
      blobs: {
        presignUpload: async () => ({ url: "", method: "PUT", headers: {}, expiresAt: new Date() }),
        presignDownload: async () => ({ url: "", method: "GET", headers: {}, expiresAt: new Date() }),
        inspect: async () => null,
        read: async () => null,
        write: async () => undefined,
        remove: async () => undefined,
      },
      clock: { now: () => new Date() },
      ids: { newId: randomUUID },
      links: { staffApp: "https://staff.example/sign-in", patientPortal: "https://portal.example/sign-in" },
      email: nullEmail,
      sms: { send: async () => undefined },
    };
    const chat = createClinicChat(deps);

    // One clinic, delay 0; a practitioner writes 10 messages to each of 1,000 patients.
    const clinicId = "bench-clinic";
    const staff: Actor = { clinicId, person: { kind: "staff", id: "bench-staff" } };
    await deps.uow.run(clinicId, async (s) => {
      await s.clinics.create({
        id: clinicId,
        name: "Bench Clinic",
        plan: "premium",
        timeZone: "UTC",
        settings: { ...defaultSettings("premium"), patientChatEnabled: true, notificationDelaySeconds: 0 },
      });
      await s.directory.saveStaff({
        id: staff.person.id,
        clinicId,
        name: "Bench Practitioner",
        email: "practitioner@bench.test",
        role: "practitioner",
        active: true,
        availableForPatientChat: true,
        emailNotifications: true,
      });
      for (let i = 0; i < recipients; i++) {
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
    const conversations: string[] = [];
    for (let i = 0; i < recipients; i++) {
      const { conversation } = await chat.startPatientChat(staff, { patientId: `bench-patient-${i}` });
      conversations.push(conversation.id);
    }

    // Queue the messages: each send writes the message, its audit record and (first of a burst) its timer.
    let started = performance.now();
    let next = 0;
    const sends = Array.from({ length: sendConcurrency }, async () => {
      for (let i = next++; i < recipients; i = next++) {
        for (let m = 0; m < messagesPerRecipient; m++) {
          await chat.sendMessage(staff, {
            conversationId: conversations[i]!,
            clientId: randomUUID(),
            text: `m${m}`,
          });
        }
      }
    });
    await Promise.all(sends);
    const sendSeconds = (performance.now() - started) / 1000;
    const owner = postgres(ownerUrl, { max: 1, onnotice: () => undefined });
    const [queued] =
      await owner`select count(*)::int as count from pgboss.job where name = 'clinic-chat.notification-timer'`;
    const timers = Number(queued?.count);
    await owner.unsafe("checkpoint");

    // Drain the timers.
    started = performance.now();
    const worker = await startNotificationWorker({
      boss,
      handle: (timer) => chat.handleNotificationTimer(timer),
      concurrency,
    });
    await until(() => worker.stats().handled + worker.stats().retried + worker.stats().gaveUp >= timers);
    const notificationSeconds = (performance.now() - started) / 1000;
    await worker.stop();
    const stats = worker.stats();

    // pg-boss alone: plain jobs, a handler that does nothing, the worker's fetch settings.
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
    const pollers = concurrency >= 4 ? 2 : 1;
    await boss.work(
      plainQueue,
      {
        batchSize: Math.ceil(concurrency / pollers),
        localConcurrency: pollers,
        burstWhenBatchFull: true,
        pollingIntervalSeconds: 2,
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

    const rows: Row[] = [
      {
        run: "notification timers (handleNotificationTimer, null email)",
        jobs: timers,
        seconds: notificationSeconds,
      },
      { run: "pg-boss plain jobs, no-op handler", jobs: plainJobs, seconds: plainSeconds },
    ];
    const rate = (row: Row) => row.jobs / row.seconds;
    console.log(
      `\n${recipients * messagesPerRecipient} messages to ${recipients} recipients, sent in ${sendSeconds.toFixed(1)} s ` +
        `(${((recipients * messagesPerRecipient) / sendSeconds).toFixed(0)} messages/s, ${sendConcurrency} at once, ` +
        `timers enqueued in the same transactions): ${timers} timers after coalescing.`,
    );
    console.log(
      `Worker: ${concurrency} jobs in flight (2 pollers × ${Math.ceil(concurrency / pollers)} per batch); ` +
        `embedded PostgreSQL with fsync off; ${stats.handled} handled, ${stats.retried} retried, ${emails} emails.\n`,
    );
    console.log(["run", "jobs", "seconds", "jobs/s"].join(" | "));
    console.log(["---", "---:", "---:", "---:"].join(" | "));
    for (const row of rows) {
      console.log([row.run, row.jobs, row.seconds.toFixed(2), rate(row).toFixed(0)].join(" | "));
    }
    const [ours, plain] = rows as [Row, Row];
    console.log(
      `\nratio: notification timers run at ${((rate(ours) / rate(plain)) * 100).toFixed(1)} % of pg-boss's ` +
        `plain-job rate (${(rate(plain) / rate(ours)).toFixed(1)}× slower per job); ` +
        `${((recipients * messagesPerRecipient) / ours.seconds).toFixed(0)} messages' notifications drained per second.`,
    );
  } finally {
    stopping = true;
    await boss?.stop({ graceful: false });
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

// BENCH_ONLY (see run.ts) names the cases to measure; these timers are "notification timers".
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim().toLowerCase()) ?? null;
if (only === null || only.some((name) => "notification timers".startsWith(name))) await main();
