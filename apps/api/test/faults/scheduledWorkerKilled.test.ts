import { randomUUID } from "node:crypto";
import { scheduledMessageQueueName as queue } from "@clinic-chat/adapters";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type ApiProcess,
  type FaultCluster,
  sleep,
  startFaultCluster,
  waitUntil,
} from "./support/faultCluster";

// OPS-5 / SCHED-1: a worker process killed (SIGKILL) while it sends scheduled messages. The
// messages are due at one minute, one per practitioner–patient chat; the first worker takes them
// and is killed inside their sends; pg-boss hands its jobs back once they expire, and a second
// worker sends every message exactly once. Each worker is the product's (support/workerProcess.ts)
// in a process of its own, with an expiry of seconds instead of the product's minute and a
// supervise pass every second, so the test stays short.

const pairs = 8;
const expireSeconds = 5;
let cluster: FaultCluster;
let api: ApiProcess;

beforeAll(async () => {
  cluster = await startFaultCluster({ pairs, mailDelaySeconds: 0 });
  // The API first: every process brings the queues' settings up to date at its start, and the
  // jobs take the expiry the queue has when they are created, the workers' short one.
  api = await cluster.startApi("api-a");
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

/**
 * The first whole minute at least `leadMs` ahead, as "Send later" names it on the clinic's wall
 * clock (the bench clinic is in UTC): scheduled messages go at whole minutes.
 */
function dueMinuteAfter(leadMs: number) {
  const at = new Date(Math.ceil((Date.now() + leadMs) / 60_000) * 60_000);
  return { date: at.toISOString().slice(0, 10), minute: at.getUTCHours() * 60 + at.getUTCMinutes() };
}

/**
 * Holds the rows of `conversationIds` as a send in them does (FOR NO KEY UPDATE) until `release`.
 * A send locks its conversation's row after it has taken its scheduled message and before it
 * writes anything, so a worker that takes a due message waits there, inside the job: the kill
 * lands mid-send every run, never before the job or after its commit by chance of timing.
 */
async function holdConversations(conversationIds: string[]) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held!: (pid: number) => void;
  const holder = new Promise<number>((resolve) => {
    held = resolve;
  });
  const transaction = cluster.inspect.begin(async (tx) => {
    const [me] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
    await tx`select id from conversations
      where clinic_id = ${cluster.clinic.clinicId} and id in ${tx(conversationIds)}
      order by id for no key update`;
    held(me!.pid);
    await released;
  });
  const pid = await Promise.race([holder, transaction.then(() => null)]);
  if (pid === null) throw new Error("the conversations were not held");
  return {
    /** Sessions waiting on the held rows. */
    async waiting(): Promise<number> {
      const [row] = await cluster.inspect<{ n: string }[]>`
        select count(*)::text as n from pg_stat_activity where ${pid}::int = any(pg_blocking_pids(pid))`;
      return Number(row!.n);
    },
    async release() {
      release();
      await transaction;
    },
  };
}

it("SCHED-1, OPS-5: a worker killed (SIGKILL) mid-send; another sends each scheduled message exactly once after the expiry", async () => {
  const { clinicId, pairs: chats } = cluster.clinic;
  const first = await cluster.startWorker("worker-1", expireSeconds);
  const practitioners = await Promise.all(chats.map((pair) => cluster.client(api.url, pair.practitioner)));
  const before = await cluster.storedMessages();

  // Held from before they are scheduled (scheduling reads a conversation, never locks it): no
  // message can go before the kill, however slowly the machine schedules them.
  const hold = await holdConversations(chats.map((pair) => pair.conversationId));
  const when = dueMinuteAfter(10_000);
  const scheduled: { conversationId: string; clientId: string }[] = [];
  for (const [i, practitioner] of practitioners.entries()) {
    const conversationId = chats[i]!.conversationId;
    const clientId = randomUUID();
    const outcome = await practitioner.mutate("scheduled.schedule", {
      conversationId,
      clientId,
      text: "Your results are in; see you on Monday. (fault test)",
      when,
    });
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    scheduled.push({ conversationId, clientId });
  }
  for (const practitioner of practitioners) practitioner.close();

  await waitUntil("the first worker waits inside a send", async () => (await hold.waiting()) >= 1, 150_000);
  await first.kill();
  const killedAt = new Date();
  // The jobs the dead worker held, as it left them: active, mid-send.
  const held = await cluster.inspect<
    { id: string; scheduled_id: string; started_on: Date; expire_seconds: number }[]
  >`
    select id, data->>'scheduledId' as scheduled_id, started_on, expire_seconds from pgboss.job
    where name = ${queue} and state = 'active' and data->>'clinicId' = ${clinicId}`;
  expect(held.length).toBeGreaterThanOrEqual(1);
  expect(await cluster.storedMessages()).toBe(before);
  await hold.release();

  const second = await cluster.startWorker("worker-2", expireSeconds);
  await waitUntil(
    "every scheduled message has gone and no job is left",
    async () => {
      const [row] = await cluster.inspect<{ pending: string; jobs: string }[]>`
        select (select count(*) from scheduled_messages where clinic_id = ${clinicId} and status <> 'sent')::text as pending,
               (select count(*) from pgboss.job where name = ${queue} and data->>'clinicId' = ${clinicId}
                  and state in ('created', 'retry', 'active'))::text as jobs`;
      return row!.pending === "0" && row!.jobs === "0";
    },
    90_000,
  ).catch((error: unknown) => {
    process.stdout.write(`${cluster.logOf("worker-2")}\n`);
    throw error;
  });
  const patients = chats.map((pair) => pair.patient.email);
  await waitUntil(
    "every patient has had an email",
    () => patients.every((email) => (cluster.mail.received.get(email) ?? 0) >= 1),
    60_000,
  );
  // Give a further duplicate time to show up: nothing more may arrive.
  await sleep(2_000);

  const clientIds = scheduled.map((s) => s.clientId);
  const messages = await cluster.inspect<
    { id: string; conversation_id: string; client_id: string; sent_at: Date }[]
  >`
    select id, conversation_id, client_id, sent_at from messages
    where clinic_id = ${clinicId} and client_id in ${cluster.inspect(clientIds)}`;
  const copies = (clientId: string) => messages.filter((m) => m.client_id === clientId).length;
  const sent = clientIds.filter((clientId) => copies(clientId) >= 1).length;
  const duplicated = clientIds.reduce((n, clientId) => n + Math.max(0, copies(clientId) - 1), 0);
  const lost = clientIds.length - sent;
  process.stdout.write(
    `OPS-5/SCHED-1 worker killed mid-send: scheduled ${scheduled.length}, sent ${sent}, duplicated ${duplicated}, lost ${lost}\n` +
      `  jobs held by the killed worker: ${held.length}\n`,
  );
  expect({ sent, duplicated, lost }).toEqual({ sent: pairs, duplicated: 0, lost: 0 });
  // Each in its own conversation, and nothing else was posted.
  for (const s of scheduled)
    expect(messages.find((m) => m.client_id === s.clientId)?.conversation_id).toBe(s.conversationId);
  expect(await cluster.storedMessages()).toBe(before + pairs);
  const messageIds = messages.map((m) => m.id).sort();

  // Once in the audit (SEC-3): one `message.send` success per message, no other outcome.
  const audited = await cluster.inspect<{ message_id: string | null; outcome: string }[]>`
    select message_id, outcome from audit_log where clinic_id = ${clinicId} and action = 'message.send'`;
  expect(audited.map((a) => a.outcome)).toEqual(Array(pairs).fill("success"));
  expect(audited.map((a) => a.message_id).sort()).toEqual(messageIds);
  // Once on the live feed (MSG-2) and once in each patient's inbox (NOTIF-1).
  const posted = await cluster.inspect<{ message_id: string }[]>`
    select message_id from conversation_events
    where clinic_id = ${clinicId} and type = 'message.posted' and message_id in ${cluster.inspect(messageIds)}`;
  expect(posted.map((e) => e.message_id).sort()).toEqual(messageIds);
  const emails = await cluster.emailDeliveries();
  expect(emails).toMatchObject({ allDelivered: true, duplicated: 0, lost: 0 });
  expect(emails.addresses).toEqual([...patients].sort());

  // Every job the dead worker held was handed back after its expiry and sent by the second worker.
  const finished = await cluster.inspect<{ id: string; state: string; retry_count: number }[]>`
    select id, state::text as state, retry_count from pgboss.job where name = ${queue} and data->>'clinicId' = ${clinicId}`;
  expect(finished.map((j) => j.state)).toEqual(Array(pairs).fill("completed"));
  const sentAt = await cluster.inspect<{ id: string; sent_at: Date }[]>`
    select s.id, m.sent_at from scheduled_messages s join messages m on m.clinic_id = s.clinic_id and m.id = s.message_id
    where s.clinic_id = ${clinicId} and s.status = 'sent'`;
  for (const job of held) {
    expect(finished.find((j) => j.id === job.id)?.retry_count).toBeGreaterThanOrEqual(1);
    const at = sentAt.find((s) => s.id === job.scheduled_id)!.sent_at.getTime();
    expect(at).toBeGreaterThan(killedAt.getTime());
    expect(at).toBeGreaterThanOrEqual(job.started_on.getTime() + job.expire_seconds * 1000);
  }
  for (const m of messages) expect(m.sent_at.getTime()).toBeGreaterThan(killedAt.getTime());
  await second.kill();
}, 360_000);
