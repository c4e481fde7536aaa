/** The queue of notification timers (NOTIF-1): one job per recipient per burst. */
export const notificationQueueName = "clinic-chat.notification-timer";

/** The queue of the periodic cleanup of unconfirmed uploads (FILE-2). */
export const uploadCleanupQueueName = "clinic-chat.upload-cleanup";

/** The queue of the daily retention run (REC-3): one job a day for every clinic with a period. */
export const retentionQueueName = "clinic-chat.retention";

/** The queue of broadcast turns (BCAST-1): at most one waiting per broadcast. */
export const broadcastQueueName = "clinic-chat.broadcast-turn";

/** The queue of malware scans of confirmed uploads (FILE-6): one job per file. */
export const fileScanQueueName = "clinic-chat.file-scan";

/** The queue of scheduled messages (SCHED-1): one entry per message and time to send. */
export const scheduledMessageQueueName = "clinic-chat.scheduled-message";

/** SCHED-1: a due message whose attempt failed is tried again after 10 seconds, doubling up to 10 minutes. */
export const scheduledMessageRetryPolicy: RetryPolicy = {
  retryLimit: 100,
  retryDelaySeconds: 10,
  retryDelayMaxSeconds: 10 * 60,
};

/** The queue of image renditions of shared files (FILE-7): one job per file. */
export const filePreviewQueueName = "clinic-chat.file-preview";

/**
 * FILE-6: while the scanner is unreachable a file waits; its scan is tried again after 2 seconds,
 * doubling up to 5 minutes, for about a week before it is given up (the file then stays unseen).
 */
export const fileScanRetryPolicy: RetryPolicy = {
  retryLimit: 2100,
  retryDelaySeconds: 2,
  retryDelayMaxSeconds: 5 * 60,
};

/**
 * The queue of webhook deliveries (INTEG-4): one job per conversation with events waiting. The
 * retry schedule of an event is the domain's (`webhookRetryPolicy`); this queue's own retries
 * only cover a run that failed as a whole.
 */
export const webhookQueueName = "clinic-chat.webhook-delivery";

/** How a webhook delivery run that failed as a whole is retried: 5 seconds doubling up to 5 minutes. */
export const webhookRunRetryPolicy: RetryPolicy = {
  retryLimit: 50,
  retryDelaySeconds: 5,
  retryDelayMaxSeconds: 5 * 60,
};

/** How a failed notification job is retried (NOTIF-5): exponential back-off with a ceiling. */
export interface RetryPolicy {
  /** Retries after the first attempt before the job is given up. */
  readonly retryLimit: number;
  /** The first retry waits between this and twice this, in whole seconds; each later one doubles. */
  readonly retryDelaySeconds: number;
  /** No wait between two attempts is longer than this, in whole seconds. */
  readonly retryDelayMaxSeconds: number;
}

/**
 * NOTIF-5: 30 seconds doubling up to 15 minutes, 30 retries. A provider outage of at least
 * {@link minimumRetryWindowSeconds} (6.5 hours) is ridden out; after that the job is failed.
 */
export const notificationRetryPolicy: RetryPolicy = {
  retryLimit: 30,
  retryDelaySeconds: 30,
  retryDelayMaxSeconds: 15 * 60,
};

/**
 * The shortest time from a job's first failure to its last retry under pg-boss's back-off
 * (`min(max, delay × (2^n/2 + 2^n/2 × random))`, random taken as 0): how long an outage may last
 * before a notification is given up.
 */
export function minimumRetryWindowSeconds(policy: RetryPolicy): number {
  let total = 0;
  for (let retryCount = 0; retryCount < policy.retryLimit; retryCount++) {
    const step = Math.max(policy.retryDelaySeconds, 1) * (2 ** Math.min(16, retryCount + 1) / 2);
    total += Math.min(policy.retryDelayMaxSeconds, step);
  }
  return total;
}
