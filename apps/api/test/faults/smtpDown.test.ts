import { randomUUID } from "node:crypto";
import {
  connectPostgres,
  createPostgresUnitOfWork,
  createS3BlobStore,
  createSmtpEmailSender,
  pgBossNotificationQueue,
  startBoss,
  startNotificationWorker,
  systemClock,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import { createClinicChat } from "@clinic-chat/domain";
import { afterAll, beforeAll, expect, it } from "vitest";
import { withUser } from "../../src/start/appDatabasePassword";
import { appRole } from "../../src/start/startProduct";
import {
  type ApiProcess,
  type FaultCluster,
  faultLine,
  origin,
  sleep,
  startFaultCluster,
  waitUntil,
} from "./support/faultCluster";

// OPS-5 / NOTIF-5: the mail server unreachable (its port closed) while patients write to their
// practitioners. Sending never waits for mail; the worker retries with back-off, and once the
// server is back every burst's email goes out, once (NOTIF-1).
// The worker is the product's (startBoss, startNotificationWorker, the domain's handler) in this
// process with a back-off of seconds instead of the product's 30 s, so the test stays short.

const pairs = 6;
let cluster: FaultCluster;
let api: ApiProcess;

beforeAll(async () => {
  cluster = await startFaultCluster({ pairs, mailDelaySeconds: 0 });
  api = await cluster.startApi("api-a");
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

it("OPS-5, NOTIF-5: SMTP unreachable for a while; sends go on, and afterwards each notification goes out once", async () => {
  await cluster.mail.stop();
  const boss = await startBoss({
    ownerUrl: cluster.pg.ownerUrl,
    appRole,
    retry: { retryLimit: 20, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
    max: 2,
    onError: () => undefined,
  });
  const db = connectPostgres(withUser(cluster.pg.ownerUrl, appRole, cluster.appPassword), { max: 4 });
  const blobs = createS3BlobStore({
    endpoint: cluster.storage.endpoint,
    region: "us-east-1",
    bucket: cluster.storage.bucket,
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  });
  const chat = createClinicChat({
    uow: createPostgresUnitOfWork(db, { notificationQueue: pgBossNotificationQueue(boss) }),
    blobs,
    clock: systemClock,
    ids: uuidV7Ids,
    links: { staffApp: `${origin}/staff`, patientPortal: `${origin}/portal` },
    email: createSmtpEmailSender({ smtpUrl: cluster.mail.url, from: "Clinic Chat <no-reply@faults.test>" }),
    sms: {
      send: async () => {
        throw new Error("no SMS in this test");
      },
    },
  });
  const worker = await startNotificationWorker({
    boss,
    handle: (timer) => chat.handleNotificationTimer(timer),
    pollingIntervalSeconds: 0.5,
  });
  try {
    const patients = await Promise.all(
      cluster.clinic.pairs.map((pair) => cluster.client(api.url, pair.patient)),
    );
    let acknowledged = 0;
    const send = async (i: number) => {
      const outcome = await patients[i]!.mutate("messages.send", {
        conversationId: cluster.clinic.pairs[i]!.conversationId,
        clientId: randomUUID(),
        text: "Is my prescription ready? (fault test)",
      });
      // NOTIF-5: mail being down never holds up or refuses a send.
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
      acknowledged++;
    };
    for (let i = 0; i < pairs; i++) await send(i);
    await waitUntil("the worker has met the closed port", () => worker.stats().retried >= pairs, 60_000);
    for (let i = 0; i < pairs; i++) await send(i);
    await sleep(1_000);
    await cluster.mail.start();
    const practitioners = cluster.clinic.pairs.map((pair) => pair.practitioner.email);
    await waitUntil(
      "every practitioner has had an email",
      () => practitioners.every((email) => (cluster.mail.received.get(email) ?? 0) >= 1),
      60_000,
    );
    // Give a duplicate time to show up: the jobs are done, nothing further may arrive.
    await waitUntil(
      "no notification job is left",
      async () => (await cluster.unfinishedNotificationJobs()) === 0,
    );
    await sleep(2_000);
    // Each burst is one email (NOTIF-1): what the deliveries record is what must have arrived, once.
    const { recorded, allDelivered, addresses, duplicated, lost } = await cluster.emailDeliveries();
    expect(allDelivered).toBe(true);
    expect(addresses).toEqual([...practitioners].sort());
    const stored = await cluster.storedMessages();
    faultLine("OPS-5 SMTP unreachable", { acknowledged, stored, duplicated, lost });
    process.stdout.write(
      `  emails: ${cluster.mail.total} for ${recorded} recorded deliveries to ${pairs} practitioners; jobs retried ${worker.stats().retried}\n`,
    );
    expect(stored).toBe(acknowledged);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    for (const patient of patients) patient.close();
  } finally {
    await worker.stop();
    await boss.stop({ graceful: false });
    await db.destroy();
    blobs.destroy();
  }
}, 150_000);
