import type { DeliveryRun } from "@clinic-chat/domain/webhooks";
import type { Job, JobResult, PgBoss } from "pg-boss";
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
  const concurrency = options.concurrency ?? 8;

  async function run(job: Job<unknown>): Promise<JobResult> {
    const target = parseDeliveryJob(job.data);
    if (!target) return { id: job.id, status: "completed", output: { ignored: "malformed" } };
    try {
      const result = await options.deliver(target);
      if (result.nextDueAt) {
        await options.boss.send(webhookQueueName, target, {
          // One waiting run per due time: an earlier one asked for later is never swallowed by it.
          singletonKey: `${webhookJobKey(target.clinicId, target.conversationId)}|at|${result.nextDueAt.getTime()}`,
          startAfter: result.nextDueAt,
        });
      }
      return {
        id: job.id,
        status: "completed",
        output: { delivered: result.delivered, retried: result.retried, failed: result.failed },
      };
    } catch (error) {
      retried++;
      // The stored failure names the kind only: a driver's message may quote values.
      return {
        id: job.id,
        status: "failed",
        output: { failure: error instanceof Error ? error.name : "unknown" },
      };
    }
  }

  // As the notification worker: two pollers, and a full batch is followed by the next fetch at
  // once, so a backlog drains without waiting out the polling interval.
  const pollers = concurrency >= 4 ? 2 : 1;
  await options.boss.work<unknown>(
    webhookQueueName,
    {
      batchSize: Math.ceil(concurrency / pollers),
      localConcurrency: pollers,
      perJobResults: true,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    },
    (jobs) => Promise.all(jobs.map(run)),
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
