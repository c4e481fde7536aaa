/** The queue of notification timers (NOTIF-1): one job per recipient per burst. */
export const notificationQueueName = "clinic-chat.notification-timer";

/** The queue of the periodic cleanup of unconfirmed uploads (FILE-2). */
export const uploadCleanupQueueName = "clinic-chat.upload-cleanup";

/** The queue of malware scans of confirmed uploads (FILE-6): one job per file. */
export const fileScanQueueName = "clinic-chat.file-scan";

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
