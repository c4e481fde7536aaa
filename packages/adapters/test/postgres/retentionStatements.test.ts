import { randomUUID } from "node:crypto";
import { createClinicChat, type NotificationDeps, type Patient } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pgBossNotificationQueue, startBoss } from "../../src/pg-boss/index";
import { connectPostgres, type TracedStatement } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { createLivePostgresUnitOfWork } from "../../src/postgres/live/index";
import { at, patientConversation, postText, ref, seedWorld, type World } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

let db: TestDatabase;
let boss: Awaited<ReturnType<typeof startBoss>>;
let traced: Kysely<Database>;
const statements: TracedStatement[] = [];
let world: World;
let chat: ReturnType<typeof createClinicChat>;

beforeAll(async () => {
  db = await createTestDatabase();
  boss = await startBoss({ ownerUrl: db.ownerUrl, appRole: inject("postgres").appRole, max: 2 });
  traced = connectPostgres(db.appUrl, { max: 2, trace: (statement) => statements.push(statement) });
  const uow = createLivePostgresUnitOfWork(traced, {
    notificationQueue: pgBossNotificationQueue(boss),
    doorbell: { ring: () => undefined, close: async () => undefined },
  });
  world = await seedWorld(() => uow);
  const deps: NotificationDeps = {
    uow,
    blobs: {
      presignUpload: async () => {
        throw new Error("not used");
      },
      presignDownload: async () => {
        throw new Error("not used");
      },
      inspect: async () => null,
      read: async () => null,
      write: async () => undefined,
      remove: async () => undefined,
    },
    clock: { now: () => new Date() },
    ids: { newId: () => randomUUID() },
    links: { staffApp: "https://clinic.test/staff", patientPortal: "https://clinic.test/portal" },
    email: { send: async () => undefined },
    sms: { send: async () => undefined },
  };
  chat = createClinicChat(deps);
}, 120_000);

afterAll(async () => {
  await traced?.destroy();
  await boss?.stop({ graceful: false });
  await db?.close();
});

/** A retention run of a clinic whose one expired conversation holds `count` messages, in one part. */
async function measureRun(count: number, patient: Patient) {
  const staff = ref(world.practitioner);
  const conversation = patientConversation(world, patient);
  await world.run(async (s) => {
    await s.conversations.create(conversation, [staff, ref(patient)]);
    for (let i = 0; i < count; i++) await postText(s, conversation.id, staff, `old ${i}`, at(i));
    await s.records.saveRetention({
      period: { amount: 30, unit: "days" },
      setBy: world.admin.id,
      setAt: new Date(),
    });
  });
  statements.length = 0;
  const outcome = await chat.runRetention(world.clinic.id, { sliceSize: count });
  return {
    outcome,
    statements: statements.length,
    roundTrips: statements.filter((s) => s.roundTrip).length,
  };
}

describe("statements of a retention run on PostgreSQL", () => {
  it("REC-3 DEL-2 DEL-3: a part costs the same statements and round trips for 40 messages as for 10: one store call per kind of record, never one per message", async () => {
    const ten = await measureRun(10, world.patient);
    const forty = await measureRun(40, world.otherPatient);
    expect(ten.outcome).toMatchObject({ deletedMessages: 10, deletedFiles: 0 });
    expect(forty.outcome).toMatchObject({ deletedMessages: 40, deletedFiles: 0 });
    expect(forty.statements).toBe(ten.statements);
    expect(forty.roundTrips).toBe(ten.roundTrips);
    // The run's start, a part that erases, a part that finds nothing more, and its end.
    expect(ten.roundTrips).toBeLessThanOrEqual(20);
  }, 300_000);
});
