import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type SmtpRecorder,
  startSmtpRecorder,
} from "../../../../packages/adapters/test/notifications/support/smtpRecorder";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logging";
import { type RunningProduct, startProduct } from "../../src/start/startProduct";
import {
  oneStartAtATime,
  ProductBrowser,
  productOrigin,
  startTestProduct,
  type TestProduct,
} from "../support/product";

// OPS-3: two API processes and one notification worker on one database. `npm test` runs this on
// Debian's PostgreSQL with an owner that is not a superuser (TEST_POSTGRES=external), as on a
// managed database; it runs on the embedded server too when asked by path.
let first: TestProduct;
let second: RunningProduct;
let worker: RunningProduct;
let smtp: SmtpRecorder;
const folders: string[] = [];
const keyFile = join("secrets", "key-encryption-keys.json");

/**
 * Another process of the same deployment: the same database, configuration and record-key file
 * (REC-1: what one process seals, every other opens), its own data folder.
 */
async function startAnother(env: Record<string, string>): Promise<RunningProduct> {
  const dataDir = await mkdtemp(join(tmpdir(), "clinic-chat-topology-"));
  folders.push(dataDir);
  await mkdir(join(dataDir, "secrets"), { recursive: true, mode: 0o700 });
  await copyFile(join(first.dataDir, keyFile), join(dataDir, keyFile));
  const config = loadConfig({
    DATABASE_URL: first.product.ownerUrl,
    DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    PUBLIC_URL: productOrigin,
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    ...env,
  });
  return oneStartAtATime(() =>
    startProduct(config, {
      logger: createLogger({ level: "silent" }),
      appPassword: inject("postgres").appPassword,
      passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
    }),
  );
}

beforeAll(async () => {
  smtp = await startSmtpRecorder();
  first = await startTestProduct({ NOTIFICATION_WORKER: "off" });
  second = await startAnother({ NOTIFICATION_WORKER: "off" });
  worker = await startAnother({ NOTIFICATION_WORKER: "only", SMTP_URL: smtp.url });
}, 180_000);
afterAll(async () => {
  await worker?.stop();
  await second?.stop();
  await first?.stop();
  await smtp?.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** Reads an SSE response until its text holds `what`. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  return {
    get text() {
      return seen;
    },
    async until(what: string): Promise<void> {
      while (!seen.includes(what)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${what}`);
        seen += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe("two API processes and a notification worker on one database (OPS-3)", () => {
  it("OPS-3 MSG-2 NOTIF-5: a message sent through one API process is delivered live by the other, and its notification email goes out once, from the worker", async () => {
    const { a } = first.world;
    expect(worker.url).toBeNull();
    // Below what an admin may choose (NOTIF-1), written directly so the email goes at once.
    // The superuser's handle: on a managed database the owner is bound by row-level security.
    const changed = await first.inspect
      .updateTable("clinics")
      .set({ notification_delay_seconds: 0 })
      .where("id", "=", a.clinicId)
      .executeTakeFirst();
    expect(changed.numUpdatedRows).toBe(1n);
    const doctor = await first.signInStaff(a.doctor);
    const signedIn = await first.signInPatient(a.patient);
    // The patient's browser talks to the other process with the same session.
    const patient = new ProductBrowser(second.url!);
    for (const [name, value] of signedIn.cookies) patient.cookies.set(name, value);

    const stream = new AbortController();
    const events = sseReader(
      await fetch(new URL("/trpc/live.events", second.url!), {
        headers: patient.headers(),
        signal: stream.signal,
      }),
    );
    try {
      await events.until('"ready"');
      const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
        patientId: a.patient.id,
      });
      const sent = await doctor.trpc.messages.send.mutate({
        conversationId: conversation.id,
        clientId: "topology-1",
        text: "Your results are ready",
      });
      await events.until(sent.id);
      expect(events.text).toContain("message.posted");
    } finally {
      stream.abort();
    }

    const email = a.patient.email ?? "";
    await smtp.waitFor(() => smtp.to(email).length >= 1);
    // Whatever else was due has gone out by now; the patient's notification stays one.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(smtp.to(email)).toHaveLength(1);
    // The API processes send none themselves.
    expect(await first.mails()).toEqual([]);
  }, 90_000);
});
