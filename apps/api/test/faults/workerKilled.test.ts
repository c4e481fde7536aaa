import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type ApiProcess,
  type FaultCluster,
  faultLine,
  sleep,
  startFaultCluster,
  waitUntil,
} from "./support/faultCluster";

// OPS-5 / NOTIF-1: a notification worker killed (SIGKILL) in the middle of a run of notification
// emails. pg-boss hands the job the dead worker held back once it expires and a supervise pass
// sees it; a second worker takes over and every notification goes out. The dead worker held one
// job at a time, so at most one email goes out twice: the one the mail server had received when
// the worker died, before it could record it.
// Each worker is the product's (startBoss, startNotificationWorker, the domain's handler) in a
// process of its own, with an expiry of seconds instead of the product's 5 minutes, a supervise
// pass every second and a back-off of seconds, so the test stays short.

const pairs = 10;
const expireSeconds = 5;
let cluster: FaultCluster;
let api: ApiProcess;

beforeAll(async () => {
  // The mail server takes a while to accept each email, so the run of emails lasts seconds.
  cluster = await startFaultCluster({ pairs, mailDelaySeconds: 0, mailAcceptMs: 300 });
  // The API first: every process brings the queue's settings up to date at its start, and the
  // jobs take the expiry the queue has when they are created, the workers' short one.
  api = await cluster.startApi("api-a");
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

it("OPS-5, NOTIF-1: a notification worker killed mid-run; another takes over, every notification goes out, at most one twice", async () => {
  const first = await cluster.startWorker("worker-1", expireSeconds);

  const patients = await Promise.all(
    cluster.clinic.pairs.map((pair) => cluster.client(api.url, pair.patient)),
  );
  let acknowledged = 0;
  for (const [i, patient] of patients.entries()) {
    const outcome = await patient.mutate("messages.send", {
      conversationId: cluster.clinic.pairs[i]!.conversationId,
      clientId: randomUUID(),
      text: "Is my prescription ready? (fault test)",
    });
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    acknowledged++;
  }
  for (const patient of patients) patient.close();

  await waitUntil("the first worker has sent three emails", () => cluster.mail.total >= 3, 60_000);
  await first.kill();
  const atKill = cluster.mail.total;
  // Mid-run: some notifications went out, others were still to go.
  expect(atKill).toBeLessThan(pairs);

  const second = await cluster.startWorker("worker-2", expireSeconds);
  const practitioners = cluster.clinic.pairs.map((pair) => pair.practitioner.email);
  await waitUntil(
    "every practitioner has had an email",
    () => practitioners.every((email) => (cluster.mail.received.get(email) ?? 0) >= 1),
    60_000,
  );
  await waitUntil(
    "no notification job is left",
    async () => (await cluster.unfinishedNotificationJobs()) === 0,
    30_000,
  ).catch(async (error: unknown) => {
    const jobs = await cluster.inspect`
        select state, retry_count, expire_seconds, start_after - now() as starts_in, started_on
        from pgboss.job where name = 'clinic-chat.notification-timer' and state <> 'completed'`;
    process.stdout.write(`${JSON.stringify(jobs)}\n${cluster.logOf("worker-2")}\n`);
    throw error;
  });
  // Give a further duplicate time to show up: nothing more may arrive.
  await sleep(2_000);

  // Each burst is one email (NOTIF-1): what the deliveries record is what must have arrived.
  const { recorded, allDelivered, addresses, duplicated, lost } = await cluster.emailDeliveries();
  expect(allDelivered).toBe(true);
  expect(addresses).toEqual([...practitioners].sort());
  // The dead worker's job was handed back (expired, then retried by the second worker).
  const [handedBack] = await cluster.inspect<{ n: string }[]>`
    select count(*)::text as n from pgboss.job
    where name = 'clinic-chat.notification-timer' and retry_count > 0`;
  const stored = await cluster.storedMessages();
  faultLine("OPS-5 notification worker killed", { acknowledged, stored, duplicated, lost });
  process.stdout.write(
    `  emails: ${cluster.mail.total} for ${recorded} recorded deliveries; ${atKill} before the kill; jobs handed back ${handedBack!.n}\n`,
  );
  expect(stored).toBe(acknowledged);
  expect(lost).toBe(0);
  expect(Number(handedBack!.n)).toBe(1);
  expect(duplicated).toBeLessThanOrEqual(1);
  await second.kill();
}, 90_000);
