/**
 * Real infrastructure behind the domain's ports: PostgreSQL, S3, pg-boss, SMTP and SMS. The
 * embedded servers of the zero-configuration default are `@clinic-chat/adapters/embedded`.
 * @packageDocumentation
 */

export {
  minimumRetryWindowSeconds,
  type NotificationWorker,
  type NotificationWorkerOptions,
  type NotificationWorkerStats,
  notificationQueueName,
  notificationRetryPolicy,
  parseTimerJob,
  pgBossNotificationQueue,
  type RetryPolicy,
  type StartBossOptions,
  staleUploadClinics,
  startBoss,
  startNotificationWorker,
  timerJobKey,
  uploadCleanupQueueName,
} from "./pg-boss/index";
export {
  appFunctions,
  appGrants,
  appointments,
  type ConnectOptions,
  connectPostgres,
  createEventDoorbell,
  createLivePostgresUnitOfWork,
  createPostgresAuthStore,
  createPostgresUnitOfWork,
  type Database,
  type EventDoorbell,
  type EventDoorbellOptions,
  type LiveEventFeed,
  type LiveEventFeedOptions,
  type LiveEventFeedStats,
  type LiveMembership,
  type LivePostgresUnitOfWorkOptions,
  type LiveReaderOptions,
  listClinicsAsOwner,
  liveEventsChannel,
  liveReaderColumns,
  liveReaderPolicy,
  migrateToLatest,
  migrationProvider,
  migrations,
  nameSearchThreshold,
  openPostgres,
  type PostgresOptions,
  type PostgresUnitOfWorkOptions,
  type PrepareOptions,
  postgresLiveMembership,
  postgresStores,
  postgresTarget,
  prepareLiveReader,
  preparePostgres,
  startLiveEventFeed,
  withClinic,
} from "./postgres/index";
export {
  attachmentDisposition,
  createS3BlobStore,
  ensureBucket,
  maxDownloadUrlSeconds,
  type S3BlobStore,
  type S3Config,
} from "./s3/index";
export { createHttpSmsSender, type HttpSmsSenderOptions, SmsDeliveryError } from "./sms/index";
export {
  createLocalEmailSender,
  createLocalMailer,
  createSmtpEmailSender,
  createSmtpMailer,
  EmailDeliveryError,
  type EmailMessage,
  type LocalMailerOptions,
  type Mailer,
  notificationEmail,
  type SmtpMailerOptions,
} from "./smtp/index";
export { systemClock, uuidV7Ids } from "./system/system";
