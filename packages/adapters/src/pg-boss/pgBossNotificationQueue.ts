import type { NotificationQueue } from "@clinic-chat/domain";
import type { PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { notificationQueueName } from "./queues";
import { timerJobData, timerJobKey } from "./timerJob";

/**
 * The domain's NotificationQueue on pg-boss, for `createPostgresUnitOfWork`: each timer is
 * inserted through the unit of work's own transaction, so it commits with the message and its
 * audit record or not at all (the outbox of ARCHITECTURE.md). It becomes due at `runAt`.
 *
 * The job's INSERT is a write of the unit of work, since nothing reads its answer: pg-boss thus
 * sees no row come back, which it takes as "the same burst's timer is already waiting" and
 * answers null; a failed insert still fails the unit of work.
 */
export function pgBossNotificationQueue(boss: PgBoss): (statements: Statements) => NotificationQueue {
  return (statements) => {
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        await statements.write(text, values ?? []);
        return { rows: [] };
      },
    };
    return {
      async schedule(timer, runAt) {
        // A null id means the same burst's timer is already waiting: nothing more to do.
        await boss.send(notificationQueueName, timerJobData(timer), {
          startAfter: runAt,
          singletonKey: timerJobKey(timer),
          db,
        });
      },
    };
  };
}
