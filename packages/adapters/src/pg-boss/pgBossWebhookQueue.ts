import type { WebhookQueue } from "@clinic-chat/domain/webhooks";
import type { PgBoss } from "pg-boss";
import type { Statements } from "../postgres/Statements";
import { webhookQueueName } from "./queues";

/** The key of a conversation's delivery job: at most one waits per conversation (policy `short`). */
export function webhookJobKey(clinicId: string, conversationId: string): string {
  return `${clinicId}|${conversationId}`;
}

/**
 * The domain's WebhookQueue on pg-boss, for `createPostgresUnitOfWork`: a conversation's delivery
 * job is inserted through the unit of work's own transaction, so it commits with the events it
 * delivers (INTEG-4). A job already waiting for the conversation delivers the new events too, so a
 * second one is not needed; as for notification timers, the insert is a write nobody waits for.
 */
export function pgBossWebhookQueue(boss: PgBoss): (statements: Statements) => WebhookQueue {
  return (statements) => {
    const db = {
      async executeSql(text: string, values?: unknown[]) {
        await statements.write(text, values ?? []);
        return { rows: [] };
      },
    };
    return {
      async schedule(clinicId, conversationId, runAt) {
        await boss.send(
          webhookQueueName,
          { clinicId, conversationId },
          {
            singletonKey: webhookJobKey(clinicId, conversationId),
            db,
            ...(runAt ? { startAfter: runAt } : {}),
          },
        );
      },
    };
  };
}
