/**
 * pg-boss behind the domain's NotificationQueue: timers enqueued in the unit of work's own
 * transaction, the worker that fires them with retries and back-off, and the periodic upload
 * cleanup.
 * @packageDocumentation
 */

export { longDeliveryLogClinics } from "./longDeliveryLogClinics";
export {
  type BroadcastWorker,
  parseBroadcastTurn,
  pgBossBroadcastTurns,
  startBroadcastWorker,
} from "./pgBossBroadcastTurns";
export { pgBossFilePreviewQueue } from "./pgBossFilePreviewQueue";
export { pgBossFileScanQueue } from "./pgBossFileScanQueue";
export { pgBossNotificationQueue } from "./pgBossNotificationQueue";
export { pgBossWebhookQueue, webhookJobKey } from "./pgBossWebhookQueue";
export {
  broadcastQueueName,
  filePreviewQueueName,
  fileScanQueueName,
  fileScanRetryPolicy,
  minimumRetryWindowSeconds,
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
export { retentionClinics } from "./retentionClinics";
export {
  parseScheduledDue,
  pgBossScheduledMessageQueue,
  type ScheduledMessageWorker,
  startScheduledMessageWorker,
} from "./scheduledMessages";
export { staleUploadClinics } from "./staleUploadClinics";
export { type StartBossOptions, startBoss } from "./startBoss";
export { type FilePreviewWorker, startFilePreviewWorker } from "./startFilePreviewWorker";
export { type FileScanWorker, parseFileScan, startFileScanWorker } from "./startFileScanWorker";
export {
  type NotificationWorker,
  type NotificationWorkerOptions,
  type NotificationWorkerStats,
  startNotificationWorker,
} from "./startNotificationWorker";
export { type RetentionWorker, startRetentionWorker } from "./startRetentionWorker";
export { parseDeliveryJob, startWebhookWorker, type WebhookWorker } from "./startWebhookWorker";
export { parseTimerJob, timerJobKey } from "./timerJob";
export { timerResting } from "./timerResting";
