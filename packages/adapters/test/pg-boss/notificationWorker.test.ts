import { randomUUID } from "node:crypto";
import { DomainError, type NotificationTimer } from "@clinic-chat/domain";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type NotificationWorker,
  type NotificationWorkerOptions,
  notificationQueueName,
  startBoss,
  startNotificationWorker,
} from "../../src/pg-boss/index";
import { EmailDeliveryError } from "../../src/smtp/index";
import { fastRetry, waitUntil } from "../notifications/support/world";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

let db: TestDatabase;
let boss: PgBoss;
const running = new Set<NotificationWorker>();

beforeAll(async () => {
  db = await createTestDatabase();
  boss = await startBoss({
    ownerUrl: db.ownerUrl,
    appRole: inject("postgres").appRole,
    retry: fastRetry,
    max: 4,
  });
});

afterEach(async () => {
  await Promise.all([...running].map((worker) => worker.stop()));
  running.clear();
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await db?.close();
});

let counter = 0;
function timer(): NotificationTimer {
  return {
    clinicId: "clinic-1",
    recipient: { kind: "patient", id: "patient-1" },
    burstId: `burst-${++counter}`,
  };
}

async function startWorker(
  options: Partial<NotificationWorkerOptions> & Pick<NotificationWorkerOptions, "handle">,
) {
  const worker = await startNotificationWorker({
    boss,
    pollingIntervalSeconds: 0.5,
    concurrency: 4,
    ...options,
  });
  running.add(worker);
  return worker;
}

/** Enqueues job data as pg-boss stores it, due now; every job of the queue has a key of its own. */
async function enqueue(data: object | null): Promise<string> {
  const id = await boss.send(notificationQueueName, data, { singletonKey: randomUUID() });
  if (!id) throw new Error("not enqueued");
  return id;
}

async function job(id: string) {
  const result = await sql<{ state: string; retry_count: number; output: unknown }>`
    select state::text as state, retry_count, output from pgboss.job where id = ${id}`.execute(db.owner);
  return result.rows[0];
}

async function ended(ids: readonly string[]): Promise<void> {
  await waitUntil("the jobs have ended", async () => {
    for (const id of ids) {
      const row = await job(id);
      if (row?.state !== "completed" && row?.state !== "failed") return false;
    }
    return true;
  });
}

describe("startNotificationWorker", () => {
  it("hands each well-formed timer to the handler once", async () => {
    const timers = [timer(), timer(), timer()];
    const handled: NotificationTimer[] = [];
    const worker = await startWorker({ handle: async (t) => void handled.push(t) });
    const ids = await Promise.all(timers.map(enqueue));
    await ended(ids);
    expect(handled.map((t) => t.burstId).sort()).toEqual(timers.map((t) => t.burstId).sort());
    expect(handled[0]).toEqual(timers.find((t) => t.burstId === handled[0]?.burstId));
    expect(worker.stats()).toMatchObject({ handled: 3, retried: 0, gaveUp: 0, malformed: 0 });
  });

  it("completes and counts malformed jobs without handing them on or crashing", async () => {
    const handled: NotificationTimer[] = [];
    const worker = await startWorker({ handle: async (t) => void handled.push(t) });
    const ids = await Promise.all(
      [
        null,
        {},
        { clinicId: 42, recipient: { kind: "staff", id: "s" }, burstId: "b" },
        { clinicId: "c", recipient: { kind: "robot", id: "r" }, burstId: "b" },
        { clinicId: "c", recipient: "staff:s", burstId: "b" },
        { clinicId: "c", recipient: { kind: "staff", id: "" }, burstId: "b" },
        { clinicId: "c".repeat(500), recipient: { kind: "staff", id: "s" }, burstId: "b" },
      ].map(enqueue),
    );
    const good = await enqueue(timer());
    await ended([...ids, good]);
    for (const id of ids) expect((await job(id))?.state).toBe("completed");
    expect(handled).toHaveLength(1);
    expect(worker.stats()).toMatchObject({ handled: 1, malformed: 7 });
  });

  it("NOTIF-5: a handler that throws fails the job, which is retried with back-off until it succeeds", async () => {
    let attempts = 0;
    const worker = await startWorker({
      handle: async () => {
        attempts++;
        if (attempts <= 2)
          throw new AggregateError(
            [new EmailDeliveryError("Email could not be sent", true)],
            "1 of 1 failed",
          );
      },
    });
    const id = await enqueue(timer());
    await ended([id]);
    expect(await job(id)).toMatchObject({ state: "completed", retry_count: 2 });
    expect(worker.stats()).toMatchObject({ handled: 1, retried: 2, gaveUp: 0 });
  });

  it("gives a job up at once when retrying cannot help: every delivery refused for good, or the domain refuses", async () => {
    const permanent = new EmailDeliveryError(
      "Email was refused by the SMTP server (550 at RCPT TO)",
      false,
      550,
    );
    const outcomes = new Map<string, () => never>([
      [
        "all-permanent",
        () => {
          throw new AggregateError([permanent, permanent], "2 of 2 failed");
        },
      ],
      [
        "refused",
        () => {
          throw new DomainError("NOT_FOUND");
        },
      ],
      [
        "mixed",
        () => {
          throw new AggregateError([permanent, new EmailDeliveryError("timeout", true)], "2 of 2 failed");
        },
      ],
    ]);
    const worker = await startWorker({ handle: async (t) => outcomes.get(t.recipient.id)?.() });
    const ids = new Map<string, string>();
    for (const key of outcomes.keys()) {
      ids.set(key, await enqueue({ ...timer(), recipient: { kind: "staff", id: key } }));
    }
    await ended([ids.get("all-permanent")!, ids.get("refused")!]);
    expect(await job(ids.get("all-permanent")!)).toMatchObject({ state: "failed", retry_count: 0 });
    expect(await job(ids.get("refused")!)).toMatchObject({ state: "failed", retry_count: 0 });
    // One delivery might still go through later: that job keeps being retried.
    await waitUntil(
      "the mixed job has been retried",
      async () => ((await job(ids.get("mixed")!))?.retry_count ?? 0) >= 1,
    );
    expect(worker.stats().gaveUp).toBe(2);
    expect(worker.stats().retried).toBeGreaterThanOrEqual(1);
    await worker.stop();
    await boss.cancel(notificationQueueName, ids.get("mixed")!);
  });

  it("SEC-5: keeps no error message in the job, only the kind of failure and a count", async () => {
    const worker = await startWorker({
      handle: async () => {
        throw new Error("MARKER could not reach zelda@example.org about her biopsy");
      },
    });
    const id = await enqueue(timer());
    await waitUntil("the job has failed once", async () => (await job(id))?.state === "retry");
    await worker.stop();
    const stored = JSON.stringify(await job(id));
    expect(stored).not.toContain("MARKER");
    expect(stored).not.toContain("@");
    expect((await job(id))?.output).toEqual({ failure: "Error", errors: 1 });
    await boss.cancel(notificationQueueName, id);
  });

  it("stops gracefully: the job in hand finishes and completes before stop() resolves", async () => {
    const order: string[] = [];
    const gate = Promise.withResolvers<void>();
    const started = Promise.withResolvers<void>();
    const worker = await startWorker({
      handle: async () => {
        started.resolve();
        await gate.promise;
        order.push("handler finished");
      },
    });
    const id = await enqueue(timer());
    await started.promise;
    const stopping = worker.stop().then(() => order.push("stopped"));
    order.push("stop requested");
    // A database round trip later the job is still active and stop() still waiting on it.
    expect((await job(id))?.state).toBe("active");
    expect(order).toEqual(["stop requested"]);
    gate.resolve();
    await stopping;
    expect(order).toEqual(["stop requested", "handler finished", "stopped"]);
    expect((await job(id))?.state).toBe("completed");
  });

  it("refuses a cleanup without the owner's connection to find its clinics", async () => {
    await expect(
      startNotificationWorker({ boss, handle: async () => undefined, cleanup: async () => undefined }),
    ).rejects.toThrow("ownerUrl");
  });
});
