import { randomUUID } from "node:crypto";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../packages/adapters/test/support/postgres";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logging";
import { openRecordKeys } from "../src/start/recordKeys";
import { type RunningProduct, startProduct } from "../src/start/startProduct";
import { oneStartAtATime, productOrigin } from "./support/product";

const keyFileIn = (dataDir: string) => join(dataDir, "secrets", "key-encryption-keys.json");

describe("REC-1: every process of a deployment uses the deployment's key file", () => {
  let database: TestDatabase;
  let first: string;
  let second: string;
  let running: RunningProduct | null = null;
  const clinicId = randomUUID();

  const start = (dataDir: string) =>
    oneStartAtATime(() =>
      startProduct(
        loadConfig({
          DATABASE_URL: database.ownerUrl,
          DATA_DIR: dataDir,
          PORT: "0",
          HOST: "127.0.0.1",
          PUBLIC_URL: productOrigin,
          NODE_ENV: "test",
        }),
        { logger: createLogger({ level: "silent" }), appPassword: inject("postgres").appPassword },
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await mkdtemp(join(tmpdir(), "clinic-chat-first-"));
    second = await mkdtemp(join(tmpdir(), "clinic-chat-second-"));
    // The deployment's first process makes the key file and, once a clinic's records are read,
    // that clinic's key.
    running = await start(first);
    await running.domain.uow.run(clinicId, (s) => s.templates.listFor(randomUUID()));
    await running.stop();
    running = null;
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await database?.close();
    for (const dataDir of [first, second]) if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("a process with a key file of its own refuses to start, in one sentence naming its key file and what to do", async () => {
    const refusal = await start(second).then(
      () => null,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    expect(refusal).toContain(`The key file ${keyFileIn(second)} does not hold the key-encryption key`);
    expect(refusal).toContain("copy secrets/key-encryption-keys.json from the deployment's other processes");
    expect(refusal?.split(/[.:] /).length).toBeLessThanOrEqual(2);
  }, 120_000);

  it("with the deployment's key file copied in, the same data folder opens every clinic's records", async () => {
    await mkdir(join(second, "secrets"), { recursive: true, mode: 0o700 });
    await copyFile(keyFileIn(first), keyFileIn(second));
    const keys = await openRecordKeys(second, null, database.ownerUrl);
    expect(keys.provider).toBeDefined();
  }, 60_000);
});
