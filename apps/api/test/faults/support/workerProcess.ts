import {
  connectPostgres,
  createPostgresUnitOfWork,
  createS3BlobStore,
  createSmtpEmailSender,
  pgBossNotificationQueue,
  startBoss,
  startNotificationWorker,
  startScheduledMessageWorker,
  systemClock,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import { createClinicChat } from "@clinic-chat/domain";
import { withUser } from "../../../src/start/appDatabasePassword";
import { openRecordKeys } from "../../../src/start/recordKeys";
import { appRole } from "../../../src/start/startProduct";

// A worker of its own process, to be killed (OPS-5): the product's notification worker and
// scheduled message worker (startBoss, startNotificationWorker, startScheduledMessageWorker, the
// domain's handlers) configured from the environment the fault cluster gives its API processes,
// one notification at a time, with expiries (WORKER_EXPIRE_SECONDS), a supervise interval and
// back-offs of seconds so that a dead worker's jobs come back within the test.

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const origin = new URL(env("PUBLIC_URL")).origin;
const boss = await startBoss({
  ownerUrl: env("DATABASE_URL"),
  appRole,
  expireInSeconds: Number(env("WORKER_EXPIRE_SECONDS")),
  superviseIntervalSeconds: 1,
  retry: { retryLimit: 20, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  scheduledExpireInSeconds: Number(env("WORKER_EXPIRE_SECONDS")),
  scheduledRetry: { retryLimit: 20, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
  max: 2,
  onError: () => undefined,
});
const db = connectPostgres(withUser(env("DATABASE_URL"), appRole, env("DATABASE_APP_PASSWORD")), { max: 2 });
const recordKeys = await openRecordKeys(env("DATA_DIR"), null, env("DATABASE_URL"));
const chat = createClinicChat({
  uow: createPostgresUnitOfWork(db, { notificationQueue: pgBossNotificationQueue(boss), recordKeys }),
  blobs: createS3BlobStore({
    endpoint: env("S3_ENDPOINT"),
    region: "us-east-1",
    bucket: env("S3_BUCKET"),
    accessKeyId: env("S3_ACCESS_KEY_ID"),
    secretAccessKey: env("S3_SECRET_ACCESS_KEY"),
    forcePathStyle: true,
  }),
  clock: systemClock,
  ids: uuidV7Ids,
  links: { staffApp: `${origin}/staff`, patientPortal: `${origin}/portal` },
  email: createSmtpEmailSender({ smtpUrl: env("SMTP_URL"), from: "Clinic Chat <no-reply@faults.test>" }),
  sms: {
    send: async () => {
      throw new Error("no SMS in this test");
    },
  },
});
// One notification at a time: a worker killed mid-batch holds at most one that may have gone out.
await startNotificationWorker({
  boss,
  handle: (timer) => chat.handleNotificationTimer(timer),
  concurrency: 1,
  pollingIntervalSeconds: 0.5,
});
// SCHED-1: as the product's workers send them, several at once.
await startScheduledMessageWorker({
  boss,
  send: (due) => chat.sendScheduledMessage(due),
  pollingIntervalSeconds: 0.5,
});
process.send?.("working");
