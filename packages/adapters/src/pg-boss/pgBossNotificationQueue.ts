import type { NotificationQueue } from "@clinic-chat/domain";
import type { PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { notificationQueueName } from "./queues";
import { timerJobData, timerJobKey } from "./timerJob";

/**
 * The domain's NotificationQueue on pg-boss, for `createPostgresUnitOfWork`: the timers are
 * inserted through the unit of work's own transaction, so it commits with the message and its
 * audit record or not at all (the outbox of ARCHITECTURE.md). It becomes due at `runAt`.
 *
 * The jobs' INSERT (one for all the timers of a unit of work) is a write of the unit of work,
 * since nothing reads its answer: pg-boss sees no row come back and answers null; a failed insert
 * still fails the unit of work.
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
      async schedule(timers) {
        if (timers.length === 0) return;
        // pg-boss's insert of many jobs, the statement `send` makes for one: a burst's timer
        // already waiting is left as it is (its singleton key).
        await boss.insert(
          notificationQueueName,
          timers.map(({ timer, runAt }) => ({
            data: timerJobData(timer),
            startAfter: runAt.toISOString(),
            singletonKey: timerJobKey(timer),
            priority: 0,
          })),
          { db },
        );
      },
    };
  };
}
