import type { NotificationTimer } from "@clinic-chat/domain";
import { sql } from "kysely";
import type { PgBoss } from "pg-boss";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  broadcastQueueName,
  filePreviewQueueName,
  fileScanQueueName,
  minimumRetryWindowSeconds,
  notificationQueueName,
  notificationRetryPolicy,
  pgBossFileScanQueue,
  pgBossNotificationQueue,
  retentionQueueName,
  scheduledMessageQueueName,
  startBoss,
  timerJobKey,
  uploadCleanupQueueName,
  webhookQueueName,
} from "../../src/pg-boss/index";
import { transactionStatements } from "../../src/postgres/connectPostgres";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

let db: TestDatabase;
let boss: PgBoss;
const appRole = () => inject("postgres").appRole;

beforeAll(async () => {
  db = await createTestDatabase();
  boss = await startBoss({ ownerUrl: db.ownerUrl, appRole: appRole(), max: 2 });
});

afterAll(async () => {
  await boss?.stop({ graceful: false });
  await db?.close();
});

let counter = 0;
function timer(burstId = `burst-${++counter}`): NotificationTimer {
  return { clinicId: "clinic-1", recipient: { kind: "staff", id: "staff-1" }, burstId };
}

/** Schedules timers through the application role's own transaction, as a use case does. */
async function scheduleAsApp(timers: readonly NotificationTimer[], runAt = new Date(Date.now() + 60_000)) {
  const queue = pgBossNotificationQueue(boss);
  await db.app.transaction().execute(async (trx) => {
    for (const t of timers) await queue(transactionStatements(trx)).schedule([{ timer: t, runAt }]);
  });
}

async function jobsWithKey(key: string) {
  const result = await sql<{ state: string; start_after: Date }>`
    select state::text as state, start_after from pgboss.job where singleton_key = ${key}`.execute(db.owner);
  return result.rows;
}

describe("startBoss", () => {
  it("lets the application role enqueue a timer in its own transaction, due at the time asked", async () => {
    const t = timer();
    const runAt = new Date(Date.now() + 120_000);
    await scheduleAsApp([t], runAt);
    const jobs = await jobsWithKey(timerJobKey(t));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.state).toBe("created");
    expect(jobs[0]?.start_after.getTime()).toBe(runAt.getTime());
  });

  it("FILE-6: lets the application role schedule a file's scan in its own transaction, once, and rolls it back with it", async () => {
    const queue = pgBossFileScanQueue(boss);
    const scan = { clinicId: "clinic-1", fileId: `file-${++counter}` };
    await db.app.transaction().execute(async (trx) => {
      await queue(transactionStatements(trx)).schedule(scan);
      await queue(transactionStatements(trx)).schedule(scan);
    });
    const key = `${scan.clinicId}|${scan.fileId}`;
    expect(await jobsWithKey(key)).toHaveLength(1);
    const rolledBack = { clinicId: "clinic-1", fileId: `file-${++counter}` };
    await expect(
      db.app.transaction().execute(async (trx) => {
        await queue(transactionStatements(trx)).schedule(rolledBack);
        throw new Error("the confirmation failed after scheduling");
      }),
    ).rejects.toThrow("the confirmation failed");
    expect(await jobsWithKey(`${rolledBack.clinicId}|${rolledBack.fileId}`)).toEqual([]);
    const scanTable = sql.raw(`pgboss."${(await boss.getQueue(fileScanQueueName))!.table}"`);
    await expect(
      db.app.transaction().execute((trx) => sql`select data from ${scanTable}`.execute(trx)),
    ).rejects.toThrow(/permission denied/);
  });

  it("grants the application role nothing else in pg-boss's schema", async () => {
    const queue = await boss.getQueue(notificationQueueName);
    const table = sql.raw(`pgboss."${queue!.table}"`);
    const refused = [
      sql`select data from ${table}`,
      sql`update ${table} set state = 'cancelled'`,
      sql`delete from ${table}`,
      sql`select data from pgboss.job`,
      sql`insert into pgboss.job_common (name, data) values (${uploadCleanupQueueName}, '{}')`,
      sql`select * from pgboss.schedule`,
      sql`update pgboss.queue set retry_limit = 0`,
      sql`select pgboss.create_queue('intruder', '{}'::jsonb)`,
    ];
    for (const statement of refused) {
      await expect(db.app.transaction().execute((trx) => statement.execute(trx))).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it("rolls the timer back with the transaction that scheduled it", async () => {
    const t = timer();
    const queue = pgBossNotificationQueue(boss);
    await expect(
      db.app.transaction().execute(async (trx) => {
        await queue(transactionStatements(trx)).schedule([{ timer: t, runAt: new Date() }]);
        throw new Error("the use case failed after scheduling");
      }),
    ).rejects.toThrow("the use case failed");
    expect(await jobsWithKey(timerJobKey(t))).toEqual([]);
  });

  it("NOTIF-1: one job per recipient per burst: the same burst's timer again adds nothing, the next burst adds one", async () => {
    const first = timer();
    await scheduleAsApp([first, first]);
    await scheduleAsApp([first]);
    expect(await jobsWithKey(timerJobKey(first))).toHaveLength(1);
    const next = timer();
    await scheduleAsApp([next]);
    expect(await jobsWithKey(timerJobKey(next))).toHaveLength(1);
  });

  it("NOTIF-5: retries with exponential back-off and a ceiling, for long enough to ride out an outage of hours", async () => {
    const queue = await boss.getQueue(notificationQueueName);
    expect(queue).toMatchObject({
      retryLimit: notificationRetryPolicy.retryLimit,
      retryDelay: notificationRetryPolicy.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: notificationRetryPolicy.retryDelayMaxSeconds,
    });
    expect(minimumRetryWindowSeconds(notificationRetryPolicy)).toBeGreaterThanOrEqual(6 * 3600);
    // The first retry comes within a minute, none waits more than a quarter of an hour.
    expect(notificationRetryPolicy.retryDelaySeconds).toBeLessThanOrEqual(60);
    expect(notificationRetryPolicy.retryDelayMaxSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it("leaves LISTEN/NOTIFY off: sending a due timer issues no NOTIFY in the sending transaction", async () => {
    expect((await boss.getQueue(notificationQueueName))?.notify).toBe(false);
    // pg-boss's channel for its schema, as it derives it.
    const channel = await sql<{ name: string }>`
      select 'pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24) as name`.execute(db.owner);
    const listener = postgres(db.ownerUrl, { max: 1, onnotice: () => undefined });
    try {
      const heard: string[] = [];
      const sentinelHeard = Promise.withResolvers<void>();
      await listener.listen(channel.rows[0]!.name, (payload) => {
        heard.push(payload);
        if (payload === "sentinel") sentinelHeard.resolve();
      });
      await scheduleAsApp([timer()], new Date(Date.now() - 1000));
      // Notifications arrive in commit order: once the sentinel sent after the timer's commit is
      // heard, a NOTIFY from that commit would already have been.
      await sql`select pg_notify(${channel.rows[0]!.name}, 'sentinel')`.execute(db.owner);
      await sentinelHeard.promise;
      expect(heard).toEqual(["sentinel"]);
    } finally {
      await listener.end();
    }
  });

  it("is idempotent: starting again (another process, other settings) updates the queues and keeps the grants", async () => {
    const other = await startBoss({
      ownerUrl: db.ownerUrl,
      appRole: appRole(),
      retry: { retryLimit: 7, retryDelaySeconds: 2, retryDelayMaxSeconds: 4 },
      max: 2,
    });
    try {
      expect(await other.getQueue(notificationQueueName)).toMatchObject({
        retryLimit: 7,
        retryDelay: 2,
        retryDelayMax: 4,
        policy: "short",
      });
      const t = timer();
      await scheduleAsApp([t]);
      expect(await jobsWithKey(timerJobKey(t))).toHaveLength(1);
      const queues = await other.getQueues();
      expect(queues.map((q) => q.name).filter((name) => name.startsWith("clinic-chat."))).toEqual(
        [
          filePreviewQueueName,
          fileScanQueueName,
          notificationQueueName,
          retentionQueueName,
          scheduledMessageQueueName,
          uploadCleanupQueueName,
          webhookQueueName,
          broadcastQueueName,
        ].sort(),
      );
    } finally {
      await other.stop({ graceful: false });
    }
    // Put the defaults back for whatever runs after.
    const again = await startBoss({ ownerUrl: db.ownerUrl, appRole: appRole(), max: 2 });
    await again.stop({ graceful: false });
  });

  it("refuses an application role name that is not a plain identifier", async () => {
    await expect(
      startBoss({ ownerUrl: db.ownerUrl, appRole: 'app"; drop schema pgboss; --', max: 1 }),
    ).rejects.toThrow("plain identifier");
  });
});
