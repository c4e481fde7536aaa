/**
 * Real infrastructure behind the domain's ports: PostgreSQL, S3, pg-boss, SMTP, SMS, and the
 * embedded servers of the zero-configuration default.
 * @packageDocumentation
 */

export {
  type EmbeddedPostgresOptions,
  type EmbeddedPostgresServer,
  freePort,
  startEmbeddedPostgres,
} from "./embedded/embeddedPostgres";
export { type EmbeddedS3, startEmbeddedS3 } from "./embedded/embeddedS3";
export * from "./pg-boss/index";
export * from "./postgres/index";
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
