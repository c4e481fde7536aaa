import { randomBytes, randomUUID } from "node:crypto";
import {
  type Actor,
  type ClinicChat,
  createClinicChat,
  defaultSettings,
  type NotificationDeps,
} from "@clinic-chat/domain";
import type { BlobInspection, BlobStore, PresignedUrl } from "@clinic-chat/domain/files";
import {
  deliverWebhooks,
  registerWebhookEndpoint,
  type WebhookAdminDeps,
} from "@clinic-chat/domain/webhooks";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  pgBossNotificationQueue,
  pgBossWebhookQueue,
  startBoss,
  startWebhookWorker,
  type WebhookWorker,
} from "../../src/pg-boss/index";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { systemClock, uuidV7Ids } from "../../src/system/system";
import { createHttpsWebhookSender } from "../../src/webhooks/index";
import { fastRetry, links, waitUntil } from "../notifications/support/world";
import { createTestDatabase, type TestDatabase } from "../support/postgres";
import { HttpsReceiver, selfSignedCertificate } from "./httpsReceiver";

/** Blob storage in memory that keeps the last key it presigned, so the test can "upload" to it. */
class Blobs implements BlobStore {
  readonly objects = new Map<string, BlobInspection>();
  lastKey = "";
  async presignUpload(key: string): Promise<PresignedUrl> {
    this.lastKey = key;
    return { url: `https://blobs.test/${key}`, method: "PUT", headers: {}, expiresAt: new Date() };
  }
  async presignDownload(key: string): Promise<PresignedUrl> {
    return { url: `https://blobs.test/${key}`, method: "GET", headers: {}, expiresAt: new Date() };
  }
  async inspect(key: string) {
    return this.objects.get(key) ?? null;
  }
  async read() {
    return null;
  }
  async write() {}
  async remove(key: string) {
    this.objects.delete(key);
  }
}

const markers = ["MARKER-NAME", "MARKER-TEXT", "MARKER-FILE"];
const retry = { maxAttempts: 10_000, firstDelaySeconds: 0.2, maxDelaySeconds: 0.5 };

let db: TestDatabase;
let boss: PgBoss;
let receiver: HttpsReceiver;
let chat: ClinicChat;
let deps: NotificationDeps;
let admin: WebhookAdminDeps;
let worker: WebhookWorker;
const blobs = new Blobs();
let cert: { key: string; cert: string };

beforeAll(async () => {
  db = await createTestDatabase();
  boss = await startBoss({
    ownerUrl: db.ownerUrl,
    appRole: inject("postgres").appRole,
    retry: fastRetry,
    max: 4,
  });
  cert = selfSignedCertificate();
  receiver = new HttpsReceiver(cert);
  await receiver.listen();
  deps = {
    uow: createPostgresUnitOfWork(db.app, {
      notificationQueue: pgBossNotificationQueue(boss),
      webhookQueue: pgBossWebhookQueue(boss),
    }),
    blobs,
    clock: systemClock,
    ids: uuidV7Ids,
    links,
    email: { send: async () => undefined },
    sms: { send: async () => undefined },
  } as unknown as NotificationDeps;
  chat = createClinicChat(deps);
  admin = { ...deps, secrets: { newSecret: () => randomBytes(32).toString("base64url") } };
  // The product trusts the self-signed receiver through its extra CA option, as configured.
  const sender = createHttpsWebhookSender({ clock: systemClock, extraCaCerts: cert.cert, timeoutMs: 2_000 });
  worker = await startWebhookWorker({
    boss,
    deliver: (job) =>
      deliverWebhooks({ uow: deps.uow, clock: systemClock, sender, retry, holdSeconds: 5 }, job),
    pollingIntervalSeconds: 0.5,
  });
}, 60_000);

afterAll(async () => {
  receiver.hang = false;
  await worker?.stop();
  await boss?.stop({ graceful: false });
  await receiver?.close();
  await db?.close();
});

interface Clinic {
  clinicId: string;
  admin: Actor;
  staff: Actor;
  patients: Actor[];
}

async function seedClinic(patientCount: number): Promise<Clinic> {
  const clinicId = `clinic-${randomUUID().slice(0, 8)}`;
  const staffActor = (id: string): Actor => ({ clinicId, person: { kind: "staff", id } });
  const clinic: Clinic = {
    clinicId,
    admin: staffActor(`${clinicId}-admin`),
    staff: staffActor(`${clinicId}-pr`),
    patients: [],
  };
  await deps.uow.run(clinicId, async (s) => {
    await s.clinics.create({
      id: clinicId,
      name: "Clinic",
      plan: "premium",
      timeZone: "UTC",
      settings: { ...defaultSettings("premium"), patientChatEnabled: true },
    });
    for (const [id, role] of [
      [clinic.admin.person.id, "admin"],
      [clinic.staff.person.id, "practitioner"],
    ] as const) {
      await s.directory.saveStaff({
        id,
        clinicId,
        name: `Staff ${role}`,
        email: `${role}@${clinicId}.test`,
        role,
        active: true,
        availableForPatientChat: true,
        emailNotifications: true,
      });
    }
    for (let i = 0; i < patientCount; i++) {
      const id = `${clinicId}-patient-${i}`;
      await s.directory.savePatient({
        id,
        clinicId,
        name: `MARKER-NAME Patient ${i}`,
        email: `p${i}@${clinicId}.test`,
        mobilePhone: null,
        smsConsent: false,
        portalAccount: "active",
      });
      clinic.patients.push({ clinicId, person: { kind: "patient", id } });
    }
  });
  return clinic;
}

async function register(clinic: Clinic, path: string): Promise<string> {
  const { endpoint, secret } = await registerWebhookEndpoint(admin, clinic.admin, {
    url: receiver.url(path),
  });
  receiver.trust(path, secret);
  return endpoint.id;
}

const say = (actor: Actor, conversationId: string, text: string) =>
  chat.sendMessage(actor, { conversationId, clientId: randomUUID(), text });

async function shareFile(actor: Actor, conversationId: string): Promise<void> {
  const { fileId } = await chat.requestFileUpload(actor, {
    conversationId,
    clientId: randomUUID(),
    fileName: "MARKER-FILE lab results.pdf",
    sizeBytes: 1000,
    contentType: "application/pdf",
  });
  blobs.objects.set(blobs.lastKey, { sizeBytes: 1000, detectedType: "application/pdf" });
  await chat.confirmFileUpload(actor, { fileId });
}

/** The events recorded for an endpoint, in recording order, as the owner sees the table. */
async function recorded(endpointId: string) {
  const result = await sql<{ id: string; conversation_id: string; status: string }>`
    select id, conversation_id, status from webhook_events where endpoint_id = ${endpointId}
    order by position`.execute(db.owner);
  return result.rows;
}

describe("INTEG-4 delivery over HTTPS", () => {
  it("INTEG-4: a receiver that refuses for a while gets every event, signed, in order per conversation, none lost, free of PHI", async () => {
    const clinic = await seedClinic(3);
    const path = `/hooks/${clinic.clinicId}`;
    const endpointId = await register(clinic, path);
    receiver.answer = () => 500;
    const conversations: string[] = [];
    for (const patient of clinic.patients) {
      const { conversation } = await chat.startPatientChat(clinic.staff, { patientId: patient.person.id });
      conversations.push(conversation.id);
    }
    for (let round = 0; round < 3; round++) {
      for (const [i, id] of conversations.entries()) {
        await say(clinic.patients[i]!, id, `MARKER-TEXT round ${round}`);
        await say(clinic.staff, id, `MARKER-TEXT reply ${round}`);
      }
    }
    await shareFile(clinic.patients[0]!, conversations[0]!);
    await chat.markRead(clinic.staff, { conversationId: conversations[1]!, upToSeq: 100 });
    await chat.changeInbox(clinic.staff, { conversationId: conversations[2]!, change: { kind: "claim" } });
    await chat.changeInbox(clinic.staff, { conversationId: conversations[2]!, change: { kind: "close" } });
    await waitUntil("the receiver has refused several attempts", () => receiver.refused >= 6);
    expect(receiver.accepted.filter((r) => r.path === path)).toEqual([]);

    receiver.answer = () => 200;
    await waitUntil(
      "every event is delivered",
      async () => (await recorded(endpointId)).every((row) => row.status === "delivered"),
      30_000,
    );
    const rows = await recorded(endpointId);
    const got = receiver.accepted.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
    expect(receiver.badSignatures).toEqual([]);
    // None lost, none twice.
    expect(got.map((b) => b.id).sort()).toEqual(rows.map((r) => r.id).sort());
    // In order per conversation.
    for (const id of conversations) {
      expect(got.filter((b) => b.conversationId === id).map((b) => b.id)).toEqual(
        rows.filter((r) => r.conversation_id === id).map((r) => r.id),
      );
    }
    const types = new Set(got.map((b) => b.type));
    expect(types).toEqual(
      new Set([
        "conversation.started",
        "unread_count.changed",
        "conversation.assigned",
        "conversation.closed",
      ]),
    );
    const wire = JSON.stringify(receiver.accepted.map((r) => ({ body: r.body, headers: r.headers })));
    for (const marker of markers) expect(wire).not.toContain(marker);
  }, 90_000);

  it("INTEG-4: a receiver that never answers does not hold up sends", async () => {
    const clinic = await seedClinic(1);
    const path = `/silent/${clinic.clinicId}`;
    const endpointId = await register(clinic, path);
    receiver.hang = true;
    const patient = clinic.patients[0]!;
    const { conversation } = await chat.startPatientChat(clinic.staff, { patientId: patient.person.id });
    await say(patient, conversation.id, "first");
    await waitUntil("a delivery is on its way and hangs", () => receiver.hung >= 1);
    // Twenty sends finish while the first delivery still hangs: sending never waits for a receiver.
    for (let i = 0; i < 20; i++) await say(patient, conversation.id, `MARKER-TEXT ${i}`);
    const rows = await recorded(endpointId);
    expect(rows.length).toBeGreaterThanOrEqual(21 * 1 + 1);
    expect(rows.filter((r) => r.status === "delivered")).toEqual([]);
    expect(receiver.accepted.filter((r) => r.path === path)).toEqual([]);
    receiver.hang = false;
  }, 60_000);
});
