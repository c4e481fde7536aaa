import { createClinicChat } from "@clinic-chat/domain";
import type { ScheduledDue } from "@clinic-chat/domain/scheduled";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  pgBossNotificationQueue,
  pgBossScheduledMessageQueue,
  type RetryPolicy,
  type ScheduledMessageWorker,
  scheduledMessageQueueName,
  startBoss,
  startScheduledMessageWorker,
} from "../../src/pg-boss/index";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import {
  type NotificationWorld,
  patientConversation,
  type SeededClinic,
  startNotificationWorld,
  TestClock,
  waitUntil,
} from "../notifications/support/world";

// SCHED-1 on the real database and pg-boss: a scheduled message is in the database and the queue,
// so it survives the process that scheduled it; whichever worker process takes it posts it once.

/** Early attempts (our clock behind pg-boss's) and failures come back a second later. */
const quickRetry: RetryPolicy = { retryLimit: 60, retryDelaySeconds: 1, retryDelayMaxSeconds: 1 };

let world: NotificationWorld;

beforeAll(async () => {
  world = await startNotificationWorld();
});

afterAll(async () => {
  await world?.close();
});

/** One API or worker process: its own pg-boss, its own database pool, the domain over them. */
async function startProcess(clock: TestClock) {
  const boss: PgBoss = await startBoss({
    ownerUrl: world.db.ownerUrl,
    appRole: inject("postgres").appRole,
    scheduledRetry: quickRetry,
    scheduledExpireInSeconds: 5,
    max: 2,
    onError: () => undefined,
  });
  const pool = connectPostgres(world.db.appUrl, { max: 3 });
  const chat = createClinicChat({
    ...world.deps,
    clock,
    uow: createPostgresUnitOfWork(pool, {
      notificationQueue: pgBossNotificationQueue(boss),
      scheduledQueue: pgBossScheduledMessageQueue(boss),
    }),
  });
  let worker: ScheduledMessageWorker | null = null;
  return {
    chat,
    boss,
    async work(send: (due: ScheduledDue) => Promise<unknown> = (due) => chat.sendScheduledMessage(due)) {
      worker = await startScheduledMessageWorker({ boss, send, pollingIntervalSeconds: 0.5 });
    },
    /** Graceful: the messages in hand finish first. */
    async stop() {
      await worker?.stop();
      await boss.stop({ graceful: true });
      await pool.destroy();
    },
    /** As a crash: what it holds goes back to the queue and its connections close. */
    async kill() {
      await boss.stop({ graceful: false });
      await pool.destroy();
    },
  };
}

/**
 * A wall-clock time (the clinics are in UTC) `minutes` ahead of the test's clock, to the minute.
 * Each test's clock starts ten minutes behind pg-boss's, so entries are due for pg-boss at once
 * and the domain alone decides when a message is due.
 */
function minutesAhead(clock: TestClock, minutes: number) {
  const at = new Date(Math.ceil((clock.now().getTime() + minutes * 60_000) / 60_000) * 60_000);
  return { date: at.toISOString().slice(0, 10), minute: at.getUTCHours() * 60 + at.getUTCMinutes(), at };
}

async function texts(clinicId: string, conversationId: string): Promise<string[]> {
  const result = await sql<{ text: string }>`
    select text from messages where clinic_id = ${clinicId} and conversation_id = ${conversationId}
    order by seq`.execute(world.db.inspect);
  return result.rows.map((r) => r.text);
}

async function scheduledRows(clinicId: string) {
  const result = await sql<{ id: string; status: string; refusal: string | null; author_emailed: boolean }>`
    select id, status, refusal, author_emailed from scheduled_messages where clinic_id = ${clinicId}
    order by created_at, id`.execute(world.db.inspect);
  return result.rows;
}

async function unfinished(clinicId: string): Promise<number> {
  const result = await sql<{ count: string }>`
    select count(*) as count from pgboss.job
    where name = ${scheduledMessageQueueName} and data->>'clinicId' = ${clinicId}
      and state in ('created', 'retry', 'active')`.execute(world.db.inspect);
  return Number(result.rows[0]?.count ?? 0);
}

async function setUp(): Promise<{ clinic: SeededClinic; conversationId: string }> {
  const clinic = await world.seedClinic({ patients: [{ key: "pat", name: "Harriet Okonkwo" }] });
  const conversationId = await patientConversation(world, clinic, "pat", ["ada"]);
  return { clinic, conversationId };
}

describe("SCHED-1 on PostgreSQL and pg-boss", () => {
  it("SCHED-1: survives a restart of the API that scheduled it and the kill of the worker holding it; goes once", async () => {
    const clock = new TestClock();
    const { clinic, conversationId } = await setUp();
    const ada = clinic.staff.ada!.actor;
    const api = await startProcess(clock);
    const when = minutesAhead(clock, 5);
    await api.chat.scheduleMessage(ada, {
      conversationId,
      clientId: "sched-restart",
      text: "See you tomorrow",
      when,
    });
    // The API goes down before the time comes; nothing of the message lives in it.
    await api.stop();
    clock.advanceSeconds(6 * 60);

    // A worker takes it, posts it, and is killed before it can tell pg-boss it finished.
    const killed = await startProcess(clock);
    let posted!: () => void;
    const postedOnce = new Promise<void>((resolve) => {
      posted = resolve;
    });
    await killed.work(async (due) => {
      const outcome = await killed.chat.sendScheduledMessage(due);
      posted();
      // Hangs as a process does that dies here: the job stays in its hands.
      await new Promise(() => undefined);
      return outcome;
    });
    await postedOnce;
    await killed.kill();
    expect(await texts(clinic.clinicId, conversationId)).toEqual(["See you tomorrow"]);

    // The API restarted: its worker gets the entry back and finds the message gone already.
    const restarted = await startProcess(clock);
    await restarted.work();
    await waitUntil("the entry has finished", async () => (await unfinished(clinic.clinicId)) === 0, 30_000);
    await restarted.stop();
    expect(await texts(clinic.clinicId, conversationId)).toEqual(["See you tomorrow"]);
    expect(await scheduledRows(clinic.clinicId)).toEqual([expect.objectContaining({ status: "sent" })]);
    const jobs = await sql<{ state: string; retry_count: number }>`
      select state::text as state, retry_count from pgboss.job
      where name = ${scheduledMessageQueueName} and data->>'clinicId' = ${clinic.clinicId}`.execute(
      world.db.inspect,
    );
    expect(jobs.rows).toEqual([{ state: "completed", retry_count: 1 }]);
  });

  it("SCHED-1: two worker processes never both send one; each of many goes out exactly once", async () => {
    const clock = new TestClock();
    const clinic = await world.seedClinic({
      patients: Array.from({ length: 12 }, (_, i) => ({ key: `p${i}` })),
    });
    const ada = clinic.staff.ada!.actor;
    const scheduler = await startProcess(clock);
    const conversations: string[] = [];
    const when = minutesAhead(clock, 3);
    for (let i = 0; i < 12; i++) {
      const conversationId = await patientConversation(world, clinic, `p${i}`, ["ada"]);
      conversations.push(conversationId);
      await scheduler.chat.scheduleMessage(ada, {
        conversationId,
        clientId: `race-${i}`,
        text: `note ${i}`,
        when,
      });
    }
    await scheduler.stop();
    clock.advanceSeconds(4 * 60);

    const one = await startProcess(clock);
    const two = await startProcess(clock);
    // Besides the queue handing each entry to one worker, both processes also race on every
    // message directly, as two workers holding entries for it at once would.
    const entries = await sql<{ data: { clinicId: string; scheduledId: string; sendAt: string } }>`
      select data from pgboss.job where name = ${scheduledMessageQueueName} and data->>'clinicId' = ${clinic.clinicId}`.execute(
      world.db.inspect,
    );
    const raced = await Promise.all(
      entries.rows.flatMap(({ data }) => {
        const due = { clinicId: data.clinicId, scheduledId: data.scheduledId, sendAt: new Date(data.sendAt) };
        return [one.chat.sendScheduledMessage(due), two.chat.sendScheduledMessage(due)];
      }),
    );
    expect(raced.filter((o) => o === "sent")).toHaveLength(12);
    expect(raced.filter((o) => o === "settled")).toHaveLength(12);
    await Promise.all([one.work(), two.work()]);
    await waitUntil(
      "every entry has finished",
      async () => (await unfinished(clinic.clinicId)) === 0,
      30_000,
    );
    await Promise.all([one.stop(), two.stop()]);
    for (const [i, conversationId] of conversations.entries()) {
      expect(await texts(clinic.clinicId, conversationId)).toEqual([`note ${i}`]);
    }
  });

  it("SCHED-1: cancelled before its time, it never goes; edited, it goes at its new time with its new text", async () => {
    const clock = new TestClock();
    const { clinic, conversationId } = await setUp();
    const ada = clinic.staff.ada!.actor;
    const api = await startProcess(clock);
    await api.work();
    const cancelled = await api.chat.scheduleMessage(ada, {
      conversationId,
      clientId: "sched-cancel",
      text: "cancelled",
      when: minutesAhead(clock, 5),
    });
    const edited = await api.chat.scheduleMessage(ada, {
      conversationId,
      clientId: "sched-edit",
      text: "first draft",
      when: minutesAhead(clock, 5),
    });
    await api.chat.cancelScheduledMessage(ada, { scheduledId: cancelled.id });
    await api.chat.editScheduledMessage(ada, {
      scheduledId: edited.id,
      text: "final text",
      when: minutesAhead(clock, 7),
    });
    clock.advanceSeconds(8 * 60);
    await waitUntil(
      "every entry has finished",
      async () => (await unfinished(clinic.clinicId)) === 0,
      30_000,
    );
    await api.stop();
    expect(await texts(clinic.clinicId, conversationId)).toEqual(["final text"]);
    expect((await scheduledRows(clinic.clinicId)).map((r) => r.status).sort()).toEqual(["cancelled", "sent"]);
  });

  it("SCHED-1, ELIG-1: refused when due (portal disabled): the reason is kept, audited, and the author's email carries no PHI", async () => {
    const clock = new TestClock();
    const { clinic, conversationId } = await setUp();
    const ada = clinic.staff.ada!;
    const api = await startProcess(clock);
    await api.chat.scheduleMessage(ada.actor, {
      conversationId,
      clientId: "sched-refused",
      text: "Harriet, your MARKER-RESULT is ready",
      when: minutesAhead(clock, 5),
    });
    await sql`update patients set portal_account = 'disabled' where clinic_id = ${clinic.clinicId}`.execute(
      world.db.inspect,
    );
    clock.advanceSeconds(6 * 60);
    await api.work();
    await waitUntil(
      "every entry has finished",
      async () => (await unfinished(clinic.clinicId)) === 0,
      30_000,
    );
    await waitUntil("the author has been emailed", () => world.smtp.to(ada.email).length > 0);
    await api.stop();

    expect(await texts(clinic.clinicId, conversationId)).toEqual([]);
    expect(await scheduledRows(clinic.clinicId)).toEqual([
      expect.objectContaining({
        status: "refused",
        refusal: "PATIENT_PORTAL_INACTIVE",
        author_emailed: true,
      }),
    ]);
    const audit = await sql<{ outcome: string; reason: string | null }>`
      select outcome, reason from audit_log where clinic_id = ${clinic.clinicId} and action = 'message.send'`.execute(
      world.db.inspect,
    );
    expect(audit.rows).toEqual([{ outcome: "denied", reason: "PATIENT_PORTAL_INACTIVE" }]);
    const [email] = world.smtp.to(ada.email);
    expect(email?.parsed.subject).toBe(`A scheduled message was not sent at ${clinic.name}`);
    for (const phi of ["Harriet", "Okonkwo", "MARKER-RESULT"]) expect(email?.raw).not.toContain(phi);
  });
});
