import type { NotificationQueue } from "@clinic-chat/domain";
import type { Transaction } from "kysely";
import { fromKysely, type PgBoss } from "pg-boss";
import type { Database } from "../postgres/Database";
import { notificationQueueName } from "./queues";
import { timerJobData, timerJobKey } from "./timerJob";

/**
 * The domain's NotificationQueue on pg-boss, for `createPostgresUnitOfWork`: each timer is
 * inserted through the unit of work's own transaction, so it commits with the message and its
 * audit record or not at all (the outbox of ARCHITECTURE.md). It becomes due at `runAt`.
 */
export function pgBossNotificationQueue(boss: PgBoss): (trx: Transaction<Database>) => NotificationQueue {
  return (trx) => {
    const db = fromKysely(trx);
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
