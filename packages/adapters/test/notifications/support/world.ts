import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import {
  type Actor,
  type ClinicChat,
  type Clock,
  createClinicChat,
  defaultSettings,
  type NotificationDeps,
  type SignInLinks,
} from "@clinic-chat/domain";
import type { BlobInspection, BlobStore, PresignedUrl } from "@clinic-chat/domain/files";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { inject } from "vitest";
import {
  type NotificationWorker,
  type NotificationWorkerOptions,
  notificationQueueName,
  pgBossNotificationQueue,
  type RetryPolicy,
  startBoss,
  startNotificationWorker,
} from "../../../src/pg-boss/index";
import { createPostgresUnitOfWork } from "../../../src/postgres/PostgresUnitOfWork";
import { createHttpSmsSender } from "../../../src/sms/index";
import { createSmtpEmailSender } from "../../../src/smtp/index";
import { createTestDatabase, type TestDatabase } from "../../support/postgres";
import { type SmsRecorder, startSmsRecorder } from "./smsRecorder";
import { type SmtpRecorder, startSmtpRecorder } from "./smtpRecorder";

/** A clock the test moves by hand. It starts ten minutes in the past, so every timer the domain
 * schedules is already due for pg-boss, and the domain alone decides whether it is early. */
export class TestClock implements Clock {
  private ms = Date.now() - 10 * 60_000;
  now(): Date {
    return new Date(this.ms);
  }
  advanceSeconds(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Object storage in memory: uploads appear when the test says so; removals are recorded. */
export class MemoryBlobStore implements BlobStore {
  readonly objects = new Map<string, BlobInspection>();
  readonly removed: string[] = [];
  async presignUpload(key: string): Promise<PresignedUrl> {
    return { url: `https://blobs.test/${key}`, method: "PUT", headers: {}, expiresAt: new Date() };
  }
  async presignDownload(key: string): Promise<PresignedUrl> {
    return { url: `https://blobs.test/${key}`, method: "GET", headers: {}, expiresAt: new Date() };
  }
  async inspect(key: string): Promise<BlobInspection | null> {
    return this.objects.get(key) ?? null;
  }
  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    return this.objects.has(key) ? (async function* () {})() : null;
  }
  async write(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { sizeBytes: bytes.byteLength, detectedType: contentType });
  }
  async remove(key: string): Promise<void> {
    this.removed.push(key);
    this.objects.delete(key);
  }
}

/** Retries a second apart, so the back-off tests take seconds rather than minutes. */
export const fastRetry: RetryPolicy = { retryLimit: 5, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 };

export const links: SignInLinks = {
  staffApp: "https://clinic-chat.test/staff",
  patientPortal: "https://clinic-chat.test/portal",
};

export const emailFrom = "Clinic Chat <no-reply@clinic-chat.test>";

/**
 * Re-runs `check` until it holds, for things that become true in another process (a job row
 * changing state). Bounded: fails after `timeoutMs`.
 */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await delay(25);
  }
}

/** A staff member or patient of a seeded clinic, with the addresses notifications go to. */
export interface Person {
  readonly actor: Actor;
  readonly email: string;
  readonly mobile: string | null;
}

/** What to seed: a clinic on Premium with patient chat on. */
export interface ClinicSeed {
  readonly name?: string;
  readonly smsNotifications?: boolean;
  readonly delaySeconds?: number;
  readonly staff?: readonly { key: string; emailNotifications?: boolean }[];
  readonly patients?: readonly { key: string; name?: string; mobile?: string; smsConsent?: boolean }[];
}

export interface SeededClinic {
  readonly clinicId: string;
  readonly name: string;
  readonly staff: Readonly<Record<string, Person>>;
  readonly patients: Readonly<Record<string, Person>>;
}

/** One job of the notification queue, as pgboss.job stores it. */
export interface JobRow {
  readonly id: string;
  readonly state: string;
  readonly singleton_key: string | null;
  readonly data: { clinicId: string; recipient: { kind: string; id: string }; burstId: string };
  readonly retry_count: number;
  readonly output: unknown;
}

/** The whole domain over PostgreSQL and pg-boss, with real SMTP and SMS servers on loopback. */
export interface NotificationWorld {
  readonly db: TestDatabase;
  readonly boss: PgBoss;
  readonly smtp: SmtpRecorder;
  readonly sms: SmsRecorder;
  readonly clock: TestClock;
  readonly blobs: MemoryBlobStore;
  readonly deps: NotificationDeps;
  readonly chat: ClinicChat;
  seedClinic(seed?: ClinicSeed): Promise<SeededClinic>;
  /** A worker on `boss` (or another) handling timers with the domain, polling every half second. */
  startWorker(options?: Partial<NotificationWorkerOptions>): Promise<NotificationWorker>;
  /** Runs a worker until no notification job is waiting or running, then stops it. */
  drain(): Promise<void>;
  /** Notification jobs not finished yet (created, retry or active). */
  unfinishedJobs(): Promise<number>;
  /** The notification jobs of a clinic. */
  jobs(clinicId: string): Promise<JobRow[]>;
  close(): Promise<void>;
}

let clinicCounter = 0;

/** Starts everything a notification test needs on this test file's own database. */
export async function startNotificationWorld(): Promise<NotificationWorld> {
  const db = await createTestDatabase();
  const { appRole } = inject("postgres");
  const boss = await startBoss({ ownerUrl: db.ownerUrl, appRole, retry: fastRetry, max: 4 });
  const smtp = await startSmtpRecorder();
  const sms = await startSmsRecorder();
  const clock = new TestClock();
  const blobs = new MemoryBlobStore();
  const deps: NotificationDeps = {
    uow: createPostgresUnitOfWork(db.app, { notificationQueue: pgBossNotificationQueue(boss) }),
    blobs,
    clock,
    ids: { newId: randomUUID },
    links,
    email: createSmtpEmailSender({ smtpUrl: smtp.url, from: emailFrom }),
    sms: createHttpSmsSender({
      baseUrl: sms.baseUrl,
      accountSid: "AC0000test",
      authToken: "test-token",
      from: "+15550009999",
      timeoutMs: 5_000,
    }),
  };
  const chat = createClinicChat(deps);
  const workers = new Set<NotificationWorker>();

  const world: NotificationWorld = {
    db,
    boss,
    smtp,
    sms,
    clock,
    blobs,
    deps,
    chat,
    async seedClinic(seed = {}) {
      const n = ++clinicCounter;
      const clinicId = `clinic-${n}-${randomUUID().slice(0, 8)}`;
      const name = seed.name ?? `Clinic ${n}`;
      const staffSeeds = seed.staff ?? [{ key: "ada" }, { key: "sam" }];
      const patientSeeds = seed.patients ?? [{ key: "pat" }];
      const staff: Record<string, Person> = {};
      const patients: Record<string, Person> = {};
      await deps.uow.run(clinicId, async (s) => {
        await s.clinics.create({
          id: clinicId,
          name,
          plan: "premium",
          timeZone: "UTC",
          settings: {
            ...defaultSettings("premium"),
            patientChatEnabled: true,
            smsNotificationsEnabled: seed.smsNotifications ?? false,
            notificationDelaySeconds: seed.delaySeconds ?? 60,
          },
        });
        for (const member of staffSeeds) {
          const id = `${clinicId}-staff-${member.key}`;
          const email = `${member.key}.${n}@staff.test`;
          await s.directory.saveStaff({
            id,
            clinicId,
            name: `Staff ${member.key}`,
            email,
            role: "practitioner",
            active: true,
            availableForPatientChat: true,
            emailNotifications: member.emailNotifications ?? true,
          });
          staff[member.key] = { actor: { clinicId, person: { kind: "staff", id } }, email, mobile: null };
        }
        for (const patient of patientSeeds) {
          const id = `${clinicId}-patient-${patient.key}`;
          const email = `${patient.key}.${n}@patients.test`;
          await s.directory.savePatient({
            id,
            clinicId,
            name: patient.name ?? `Patient ${patient.key}`,
            email,
            mobilePhone: patient.mobile ?? null,
            smsConsent: patient.smsConsent ?? false,
            portalAccount: "active",
          });
          patients[patient.key] = {
            actor: { clinicId, person: { kind: "patient", id } },
            email,
            mobile: patient.mobile ?? null,
          };
        }
      });
      return { clinicId, name, staff, patients };
    },
    async startWorker(options = {}) {
      const worker = await startNotificationWorker({
        boss,
        handle: (timer) => chat.handleNotificationTimer(timer),
        pollingIntervalSeconds: 0.5,
        concurrency: 4,
        ...options,
      });
      workers.add(worker);
      return worker;
    },
    async drain() {
      const worker = await world.startWorker();
      try {
        await waitUntil(
          "every notification job has finished",
          async () => (await world.unfinishedJobs()) === 0,
        );
      } finally {
        await worker.stop();
        workers.delete(worker);
      }
    },
    async unfinishedJobs() {
      const result = await sql<{ count: string }>`
        select count(*) as count from pgboss.job
        where name = ${notificationQueueName} and state in ('created', 'retry', 'active')`.execute(db.owner);
      return Number(result.rows[0]?.count ?? 0);
    },
    async jobs(clinicId) {
      const result = await sql<JobRow>`
        select id, state::text as state, singleton_key, data, retry_count, output from pgboss.job
        where name = ${notificationQueueName} and data->>'clinicId' = ${clinicId}
        order by created_on`.execute(db.owner);
      return result.rows;
    },
    async close() {
      await Promise.all([...workers].map((worker) => worker.stop()));
      await boss.stop({ graceful: false });
      await Promise.all([db.close(), smtp.close(), sms.close()]);
    },
  };
  return world;
}

/** Staff `ada` starts the chat with the patient and adds `sam`: one patient, two staff. */
export async function patientConversation(
  world: NotificationWorld,
  clinic: SeededClinic,
  patientKey = "pat",
  staffKeys: readonly string[] = ["ada", "sam"],
): Promise<string> {
  const [first, ...others] = staffKeys.map((key) => clinic.staff[key]!);
  const patient = clinic.patients[patientKey]!;
  const { conversation } = await world.chat.startPatientChat(first!.actor, {
    patientId: patient.actor.person.id,
  });
  for (const other of others) {
    await world.chat.addParticipant(first!.actor, {
      conversationId: conversation.id,
      staffId: other.actor.person.id,
    });
  }
  return conversation.id;
}

/** Sends a text message with a fresh client id. */
export function say(world: NotificationWorld, actor: Actor, conversationId: string, text: string) {
  return world.chat.sendMessage(actor, { conversationId, clientId: randomUUID(), text });
}
