import { createClinicChat } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pgBossNotificationQueue, startBoss, startNotificationWorker } from "../../src/pg-boss/index";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import {
  fastRetry,
  type NotificationWorld,
  patientConversation,
  say,
  startNotificationWorld,
  waitUntil,
} from "./support/world";

// NOTIF-5: delivery is at least once, a crash duplicates at most one notification, a failing
// provider is retried with back-off and never holds up sending messages.

let world: NotificationWorld;

beforeAll(async () => {
  world = await startNotificationWorld();
});

afterAll(async () => {
  await world?.close();
});

async function deliveries(clinicId: string) {
  const result = await sql<{ channel: string; to_address: string; delivered_at: Date | null }>`
    select channel, to_address, delivered_at from notification_deliveries where clinic_id = ${clinicId}`.execute(
    world.db.inspect,
  );
  return result.rows;
}

describe("NOTIF-5", () => {
  it("NOTIF-5: a worker killed while the SMTP server holds its first delivery; another worker delivers everything, with one duplicate at most", async () => {
    const clinic = await world.seedClinic({
      smsNotifications: true,
      patients: [{ key: "pat", mobile: "+15550200001", smsConsent: true }],
    });
    const patient = clinic.patients.pat!;
    const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
    await say(world, clinic.staff.ada!.actor, conversationId, "Your results are ready");
    world.clock.advanceSeconds(61);

    // Worker A runs as another process would: its own pg-boss and its own database pool.
    const bossA = await startBoss({
      ownerUrl: world.db.ownerUrl,
      appRole: inject("postgres").appRole,
      retry: fastRetry,
      max: 2,
      onError: () => undefined,
    });
    const appA = connectPostgres(world.db.appUrl, { max: 2 });
    const chatA = createClinicChat({
      ...world.deps,
      uow: createPostgresUnitOfWork(appA, { notificationQueue: pgBossNotificationQueue(bossA) }),
    });
    const held = world.smtp.holdNext();
    await startNotificationWorker({
      boss: bossA,
      handle: (timer) => chatA.handleNotificationTimer(timer),
      pollingIntervalSeconds: 0.5,
    });
    await held.caught;
    // The kill: the job in hand goes back to the queue and A's connections close, so whatever its
    // handler still does after the server's 250 (marking the email delivered) lands nowhere.
    await bossA.stop({ graceful: false });
    await appA.destroy();
    held.release(true);

    await world.drain();
    // The email reached the server twice: the one duplicate the crash window allows.
    expect(world.smtp.to(patient.email)).toHaveLength(2);
    expect(world.sms.to(patient.mobile!)).toHaveLength(1);
    expect((await deliveries(clinic.clinicId)).every((d) => d.delivered_at !== null)).toBe(true);
    const [job] = await world.jobs(clinic.clinicId);
    expect(job?.state).toBe("completed");
    expect(job?.retry_count).toBeGreaterThanOrEqual(1);
  });

  it("NOTIF-5: an SMTP server answering 451 for a while: retried with back-off, then delivered once", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
    await say(world, clinic.patients.pat!.actor, conversationId, "Hello");
    const rejectedBefore = world.smtp.rejected;
    world.smtp.failNext(2);
    world.clock.advanceSeconds(61);

    await world.drain();
    expect(world.smtp.rejected - rejectedBefore).toBe(2);
    expect(world.smtp.to(clinic.staff.ada!.email)).toHaveLength(1);
    const [job] = await world.jobs(clinic.clinicId);
    expect(job?.state).toBe("completed");
    expect(job?.retry_count).toBe(2);
  });

  it("NOTIF-5: an address the mail server refuses for good is given up at once, not retried for hours", async () => {
    const clinic = await world.seedClinic();
    const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
    world.smtp.refuseRecipient(clinic.staff.ada!.email);
    await say(world, clinic.patients.pat!.actor, conversationId, "Hello");
    world.clock.advanceSeconds(61);

    const worker = await world.startWorker();
    await waitUntil("the job has ended", async () => (await world.unfinishedJobs()) === 0);
    await worker.stop();
    expect(worker.stats()).toMatchObject({ gaveUp: 1, retried: 0 });
    const [job] = await world.jobs(clinic.clinicId);
    expect(job?.state).toBe("failed");
    expect(job?.retry_count).toBe(0);
    // What pg-boss keeps of the failure names no address.
    expect(JSON.stringify(job?.output)).not.toContain("@");
  });

  it("NOTIF-5: a provider outage never blocks sending messages, and afterwards each delivery goes out once", async () => {
    const clinic = await world.seedClinic({
      delaySeconds: 0,
      smsNotifications: true,
      patients: [{ key: "pat", mobile: "+15550200002", smsConsent: true }],
    });
    const patient = clinic.patients.pat!;
    const ada = clinic.staff.ada!;
    const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
    const before = { email: world.smtp.rejected, sms: world.sms.rejected };
    world.smtp.setOutage(true);
    world.sms.setOutage(true);
    const worker = await world.startWorker();

    await say(world, ada.actor, conversationId, "first");
    await waitUntil(
      "the worker has met the outage",
      () => world.smtp.rejected > before.email && world.sms.rejected > before.sms,
    );
    // Both providers are down and the worker is failing, yet every send commits as usual.
    for (let i = 0; i < 10; i++) await say(world, ada.actor, conversationId, `during the outage ${i}`);
    const stored = await sql<{ count: string }>`
      select count(*) as count from messages where clinic_id = ${clinic.clinicId}`.execute(world.db.inspect);
    expect(Number(stored.rows[0]?.count)).toBe(11);
    expect(worker.stats().retried).toBeGreaterThan(0);

    world.smtp.setOutage(false);
    world.sms.setOutage(false);
    await waitUntil("every notification job has finished", async () => (await world.unfinishedJobs()) === 0);
    await worker.stop();
    const recorded = await deliveries(clinic.clinicId);
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.every((d) => d.delivered_at !== null)).toBe(true);
    expect(world.smtp.to(patient.email)).toHaveLength(recorded.filter((d) => d.channel === "email").length);
    expect(world.sms.to(patient.mobile!)).toHaveLength(recorded.filter((d) => d.channel === "sms").length);
  });
});
