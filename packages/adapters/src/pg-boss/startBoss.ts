import { PgBoss } from "pg-boss";
import { grantQueueSend } from "./grantQueueSend";
import {
  broadcastQueueName,
  filePreviewQueueName,
  fileScanQueueName,
  fileScanRetryPolicy,
  notificationQueueName,
  notificationRetryPolicy,
  type RetryPolicy,
  retentionQueueName,
  scheduledMessageQueueName,
  scheduledMessageRetryPolicy,
  uploadCleanupQueueName,
  webhookQueueName,
  webhookRunRetryPolicy,
} from "./queues";

/** What {@link startBoss} needs. */
export interface StartBossOptions {
  /** Connection URL of the database owner: pg-boss creates and migrates its own schema as it. */
  readonly ownerUrl: string;
  /** The application's LOGIN role, which enqueues notification timers inside its transactions. */
  readonly appRole: string;
  /** Back-off of failed notification jobs; {@link notificationRetryPolicy} unless set. */
  readonly retry?: RetryPolicy;
  /**
   * How long a notification job may stay active before pg-boss takes its worker for dead and
   * retries it (default 5 minutes: well above the SMTP and SMS timeouts of two deliveries).
   */
  readonly expireInSeconds?: number;
  /**
   * How often this process looks for jobs whose worker is taken for dead (expired) and hands them
   * back (pg-boss's supervise and monitor passes; default 60 seconds). A dead worker's job comes
   * back only after its expiry and such a pass.
   */
  readonly superviseIntervalSeconds?: number;
  /** Back-off of failed scheduled message attempts; {@link scheduledMessageRetryPolicy} unless set. */
  readonly scheduledRetry?: RetryPolicy;
  /**
   * How long a scheduled message may stay in a worker's hands before pg-boss takes the worker for
   * dead and gives it to another (default 60 seconds).
   */
  readonly scheduledExpireInSeconds?: number;
  /** Most connections pg-boss's own pool opens (default 10). */
  readonly max?: number;
  /**
   * Receives pg-boss's background errors (maintenance, polling). The default writes the error's
   * name and code only: messages of database errors can quote values.
   */
  readonly onError?: (error: Error) => void;
}

/**
 * Starts pg-boss on the owner's connection (it installs or migrates its schema), creates the
 * notification and upload-cleanup queues with their retry policies, and grants the application
 * role exactly what enqueueing a notification timer in its own transaction needs. Idempotent:
 * run it at every start. LISTEN/NOTIFY stays off: a queue with `notify` would issue NOTIFY in
 * every sending transaction, and NOTIFY serialises the commits of all of them.
 */
export async function startBoss(options: StartBossOptions): Promise<PgBoss> {
  const retry = options.retry ?? notificationRetryPolicy;
  const boss = new PgBoss({
    connectionString: options.ownerUrl,
    max: options.max ?? 10,
    application_name: "clinic-chat-boss",
    useListenNotify: false,
    ...(options.superviseIntervalSeconds === undefined
      ? {}
      : {
          superviseIntervalSeconds: options.superviseIntervalSeconds,
          monitorIntervalSeconds: options.superviseIntervalSeconds,
        }),
  });
  boss.on("error", options.onError ?? reportQuietly);
  await boss.start();
  try {
    await ensureQueue(boss, notificationQueueName, {
      // Its own table: the application role's INSERT then reaches no other queue's jobs.
      partition: true,
      policy: "short",
      retryLimit: retry.retryLimit,
      retryDelay: retry.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: retry.retryDelayMaxSeconds,
      expireInSeconds: options.expireInSeconds ?? 300,
    });
    await ensureQueue(boss, uploadCleanupQueueName, {
      // One run at a time and at most one waiting: a slow run never piles up cron occurrences.
      policy: "stately",
      retryLimit: 2,
      retryDelay: 60,
      retryBackoff: false,
      expireInSeconds: 30 * 60,
    });
    await ensureQueue(boss, retentionQueueName, {
      // REC-3: one run at a time and at most one waiting; a run cut off resumes where it stopped.
      policy: "stately",
      retryLimit: 3,
      retryDelay: 15 * 60,
      retryBackoff: false,
      expireInSeconds: 4 * 60 * 60,
    });
    await ensureQueue(boss, fileScanQueueName, {
      partition: true,
      policy: "short",
      retryLimit: fileScanRetryPolicy.retryLimit,
      retryDelay: fileScanRetryPolicy.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: fileScanRetryPolicy.retryDelayMaxSeconds,
      // A 25 MB file streams to the scanner well within this.
      expireInSeconds: 5 * 60,
    });
    await ensureQueue(boss, webhookQueueName, {
      partition: true,
      // One job waits per key (a conversation, or its later attempt); more may run.
      policy: "short",
      retryLimit: webhookRunRetryPolicy.retryLimit,
      retryDelay: webhookRunRetryPolicy.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: webhookRunRetryPolicy.retryDelayMaxSeconds,
      // A run sends one request per endpoint at a time, each bounded by the sender's timeout.
      expireInSeconds: 15 * 60,
    });
    const scheduledRetry = options.scheduledRetry ?? scheduledMessageRetryPolicy;
    await ensureQueue(boss, scheduledMessageQueueName, {
      partition: true,
      policy: "short",
      retryLimit: scheduledRetry.retryLimit,
      retryDelay: scheduledRetry.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: scheduledRetry.retryDelayMaxSeconds,
      // A worker that dies holding a message gives it back after a minute: a send takes well under.
      expireInSeconds: options.scheduledExpireInSeconds ?? 60,
    });
    await ensureQueue(boss, broadcastQueueName, {
      partition: true,
      policy: "short",
      // A turn that fails as a whole is rescheduled by the domain; these cover a worker that died.
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 5 * 60,
      expireInSeconds: 5 * 60,
    });
    await ensureQueue(boss, filePreviewQueueName, {
      partition: true,
      policy: "short",
      retryLimit: 20,
      retryDelay: 2,
      retryBackoff: true,
      retryDelayMax: 5 * 60,
      // Decoding a 25 MB image and encoding two renditions takes seconds, not minutes.
      expireInSeconds: 5 * 60,
    });
    await grantQueueSend(boss, options.appRole, [
      notificationQueueName,
      fileScanQueueName,
      scheduledMessageQueueName,
      webhookQueueName,
      broadcastQueueName,
      filePreviewQueueName,
    ]);
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw error;
  }
  return boss;
}

interface QueueSettings {
  readonly partition?: boolean;
  readonly policy: "short" | "stately";
  readonly retryLimit: number;
  readonly retryDelay: number;
  readonly retryBackoff: boolean;
  readonly retryDelayMax?: number;
  readonly expireInSeconds: number;
}

/** Creates the queue, or brings an existing one's retry settings up to date (policy and table cannot change). */
async function ensureQueue(boss: PgBoss, name: string, settings: QueueSettings): Promise<void> {
  const { partition, policy, ...mutable } = settings;
  await boss.createQueue(name, { ...settings, notify: false });
  await boss.updateQueue(name, {
    ...mutable,
    retryDelayMax: settings.retryBackoff ? (settings.retryDelayMax ?? null) : null,
    notify: false,
  });
}

function reportQuietly(error: Error): void {
  const code = (error as { code?: unknown }).code;
  const safeCode = typeof code === "string" && /^[A-Z0-9_]+$/i.test(code) ? ` (${code})` : "";
  process.stderr.write(`pg-boss background error: ${error.name}${safeCode}\n`);
}
