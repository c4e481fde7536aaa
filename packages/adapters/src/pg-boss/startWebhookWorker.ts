import type { DeliveryRun } from "@clinic-chat/domain";
import type { Job, PgBoss } from "pg-boss";
import { webhookJobKey } from "./pgBossWebhookQueue";
import { webhookQueueName } from "./queues";
import { parseFileScan } from "./startFileScanWorker";

/** A running webhook delivery worker. */
export interface WebhookWorker {
  /** Delivery runs that failed as a whole (the database unreachable, say) and went back for a retry. */
  retried(): number;
  /** Stops fetching and waits for the deliveries in hand to finish. */
  stop(): Promise<void>;
}

/**
 * Works the webhook delivery queue (INTEG-4): each job delivers what waits for one conversation,
 * through `deliver` (the domain's `deliverWebhooks`). When an event waits for a later attempt the
 * worker asks pg-boss for a run at that time, under a key of its own, so a new event of the
 * conversation still gets a run at once for the endpoints that accept. A run that throws fails
 * its job, which pg-boss retries with the queue's back-off.
 */
export async function startWebhookWorker(options: {
  readonly boss: PgBoss;
  readonly deliver: (job: { clinicId: string; conversationId: string }) => Promise<DeliveryRun>;
  /** How often an idle worker looks for jobs, in seconds (default 1). */
  readonly pollingIntervalSeconds?: number;
  /** Most conversations delivered at once in this process (default 8). */
  readonly concurrency?: number;
}): Promise<WebhookWorker> {
  let retried = 0;
  await options.boss.work<unknown>(
    webhookQueueName,
    {
      batchSize: 1,
      localConcurrency: options.concurrency ?? 8,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    },
    async ([job]: Job<unknown>[]) => {
      const target = job ? parseDeliveryJob(job.data) : null;
      if (!target) return { ignored: "malformed" };
      let run: DeliveryRun;
      try {
        run = await options.deliver(target);
      } catch (error) {
        retried++;
        // The stored failure names the kind only: a driver's message may quote values.
        throw new Error(`webhook delivery failed: ${error instanceof Error ? error.name : "unknown"}`);
      }
      if (run.nextDueAt) {
        await options.boss.send(webhookQueueName, target, {
          // One waiting run per due time: an earlier one asked for later is never swallowed by it.
          singletonKey: `${webhookJobKey(target.clinicId, target.conversationId)}|at|${run.nextDueAt.getTime()}`,
          startAfter: run.nextDueAt,
        });
      }
      return { delivered: run.delivered, retried: run.retried, failed: run.failed };
    },
  );
  let stopping: Promise<void> | undefined;
  return {
    retried: () => retried,
    stop() {
      stopping ??= options.boss.offWork(webhookQueueName, { wait: true });
      return stopping;
    },
  };
}

/** The conversation a job's data names, or null when the data is not a delivery job. */
export function parseDeliveryJob(data: unknown): { clinicId: string; conversationId: string } | null {
  if (typeof data !== "object" || data === null) return null;
  const { conversationId, clinicId } = data as Record<string, unknown>;
  const ids = parseFileScan({ clinicId, fileId: conversationId });
  return ids ? { clinicId: ids.clinicId, conversationId: ids.fileId } : null;
}
