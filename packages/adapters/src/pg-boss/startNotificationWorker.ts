import { type Clock, isDomainError, type NotificationTimer } from "@clinic-chat/domain";
import { fileRules } from "@clinic-chat/domain/files";
import { webhookLimits } from "@clinic-chat/domain/webhooks";
import type { Kysely } from "kysely";
import type { Job, JobResult, PgBoss } from "pg-boss";
import { connectPostgres } from "../postgres/connectPostgres";
import type { Database } from "../postgres/Database";
import { longDeliveryLogClinics } from "./longDeliveryLogClinics";
import { notificationQueueName, uploadCleanupQueueName } from "./queues";
import { staleUploadClinics } from "./staleUploadClinics";
import { parseTimerJob } from "./timerJob";

/** What {@link startNotificationWorker} runs, and how hard. */
export interface NotificationWorkerOptions {
  /** A started pg-boss (see startBoss). Stopping it stays the caller's job. */
  readonly boss: PgBoss;
  /** Handles one timer: the domain's `handleNotificationTimer`. A throw fails the job for a retry. */
  readonly handle: (timer: NotificationTimer) => Promise<unknown>;
  /**
   * The periodic upkeep of one clinic: FILE-2's stale unconfirmed uploads (the domain's
   * `cleanupUnconfirmedUploads`) and INTEG-4's settled webhook deliveries past the delivery log
   * (`forgetOldDeliveries`); called for every clinic that has either, on `cleanupCron`.
   */
  readonly cleanup?: (clinicId: string) => Promise<unknown>;
  /** The owner's connection URL, needed with `cleanup` to find the clinics across tenants. */
  readonly ownerUrl?: string;
  /** When the cleanup runs, as a cron expression in UTC; every 10 minutes unless set. */
  readonly cleanupCron?: string;
  /** Most timers handled at once in this process (default 16). */
  readonly concurrency?: number;
  /** How often an idle worker looks for due jobs, in seconds (default 2, at least 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** Where "now" comes from for the cleanup's age cut-off; the system clock unless set. */
  readonly clock?: Clock;
}

/** What a worker has done since it started; counts only, nothing that could name anyone. */
export interface NotificationWorkerStats {
  /** Timers handled to the end. */
  readonly handled: number;
  /** Attempts that failed and went back to the queue for a retry with back-off (NOTIF-5). */
  readonly retried: number;
  /** Timers given up at once: every failure was permanent, or the domain refused the timer. */
  readonly gaveUp: number;
  /** Jobs whose data is not a timer; completed without handling. */
  readonly malformed: number;
  readonly cleanupRuns: number;
  /** Clinics whose stale uploads the cleanup processed. */
  readonly cleanedClinics: number;
  /** Clinics whose cleanup threw; the run fails and the next one tries again. */
  readonly cleanupFailures: number;
}

/** A running notification worker. */
export interface NotificationWorker {
  stats(): NotificationWorkerStats;
  /** Stops fetching and waits for the jobs in hand to finish (graceful). */
  stop(): Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/**
 * Works the notification queue (NOTIF-1 … NOTIF-5) and, when given a cleanup, the periodic
 * FILE-2 cleanup. Jobs are fetched in batches and handled concurrently, each settled on its own:
 * a handler that throws fails only its job, which pg-boss retries with the queue's back-off; a
 * failure that cannot succeed later ends the job at once. Malformed jobs are completed and
 * counted, never handed on.
 */
export async function startNotificationWorker(
  options: NotificationWorkerOptions,
): Promise<NotificationWorker> {
  const { boss, handle } = options;
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error("concurrency must be a positive integer");
  if (options.cleanup && !options.ownerUrl) throw new Error("the upload cleanup needs ownerUrl");
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const clock = options.clock ?? systemClock;
  const stats = {
    handled: 0,
    retried: 0,
    gaveUp: 0,
    malformed: 0,
    cleanupRuns: 0,
    cleanedClinics: 0,
    cleanupFailures: 0,
  };

  async function runTimer(job: Job<unknown>): Promise<JobResult> {
    const timer = parseTimerJob(job.data);
    if (!timer) {
      stats.malformed++;
      return { id: job.id, status: "completed", output: { ignored: "malformed" } };
    }
    try {
      await handle(timer);
      stats.handled++;
      return { id: job.id, status: "completed" };
    } catch (error) {
      // The stored output is counts and kinds only: errors of providers and drivers can quote addresses.
      const output = { failure: failureKind(error), errors: failureCount(error) };
      if (cannotSucceedLater(error)) {
        stats.gaveUp++;
        return { id: job.id, status: "deadletter", output };
      }
      stats.retried++;
      return { id: job.id, status: "failed", output };
    }
  }

  // Two pollers, so one batch held up by a slow provider does not stop the queue; a full batch is
  // followed by the next fetch at once, so a backlog drains without waiting out the polling interval.
  const pollers = concurrency >= 4 ? 2 : 1;
  await boss.work<unknown>(
    notificationQueueName,
    {
      batchSize: Math.ceil(concurrency / pollers),
      localConcurrency: pollers,
      perJobResults: true,
      burstWhenBatchFull: true,
      pollingIntervalSeconds,
    },
    (jobs) => Promise.all(jobs.map(runTimer)),
  );

  let ownerDb: Kysely<Database> | undefined;
  const { cleanup } = options;
  if (cleanup && options.ownerUrl) {
    const owner = connectPostgres(options.ownerUrl, { max: 1 });
    ownerDb = owner;
    await boss.work(uploadCleanupQueueName, { pollingIntervalSeconds }, async () => {
      stats.cleanupRuns++;
      const before = new Date(clock.now().getTime() - fileRules.unconfirmedUploadTtlSeconds * 1000);
      const clinics = [
        ...new Set([
          ...(await staleUploadClinics(owner, before)),
          ...(await longDeliveryLogClinics(owner, webhookLimits.deliveryLogLength)),
        ]),
      ].sort();
      let failures = 0;
      // One clinic at a time, each in its own unit of work; one failing clinic does not hold up the rest.
      for (const clinicId of clinics) {
        try {
          await cleanup(clinicId);
          stats.cleanedClinics++;
        } catch {
          failures++;
          stats.cleanupFailures++;
        }
      }
      if (failures > 0) throw new Error(`upload cleanup failed for ${failures} of ${clinics.length} clinics`);
      return { clinics: clinics.length };
    });
    // Upserted by name: every worker process may schedule it, the cron still sends one job per occurrence.
    await boss.schedule(uploadCleanupQueueName, options.cleanupCron ?? "*/10 * * * *", null, { tz: "UTC" });
  }

  let stopping: Promise<void> | undefined;
  return {
    stats: () => ({ ...stats }),
    stop() {
      stopping ??= (async () => {
        await Promise.all([
          boss.offWork(notificationQueueName, { wait: true }),
          ownerDb ? boss.offWork(uploadCleanupQueueName, { wait: true }) : undefined,
        ]);
        await ownerDb?.destroy();
      })();
      return stopping;
    },
  };
}

/** The errors behind a failure: the domain reports failed deliveries together as an AggregateError. */
function causes(error: unknown): unknown[] {
  return error instanceof AggregateError ? error.errors : [error];
}

/**
 * True when retrying cannot help: the domain refused the timer (its clinic is gone, say), or
 * every delivery failed permanently (a provider said `retryable: false`, such as an address it
 * rejects). Anything unknown is retried.
 */
function cannotSucceedLater(error: unknown): boolean {
  if (isDomainError(error)) return true;
  const all = causes(error);
  return (
    all.length > 0 &&
    all.every(
      (cause) =>
        typeof cause === "object" && cause !== null && "retryable" in cause && cause.retryable === false,
    )
  );
}

function failureKind(error: unknown): string {
  if (isDomainError(error)) return error.code;
  const name = error instanceof Error ? error.name : "unknown";
  return /^[A-Za-z]{1,40}$/.test(name) ? name : "Error";
}

function failureCount(error: unknown): number {
  return causes(error).length;
}
