import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NotificationQueue, UnitOfWork } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openKeyFileProvider } from "../../src/keys/keyFileProvider";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { rotateKeyEncryptionKey } from "../../src/keys/rotateKeyEncryptionKey";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { at, patientConversation, postText, ref, seedWorld, type World } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

const noTimers: NotificationQueue = { async schedule() {} };

describe("key-encryption key rotation under live load", () => {
  let folder: string;
  let keyFile: string;
  let database: TestDatabase;
  let world: World;
  let conversationId: string;

  /** A process of the product: its own key provider on the shared key file, its own keys in memory. */
  const productProcess = async (): Promise<UnitOfWork> =>
    createPostgresUnitOfWork(database.app, {
      notificationQueue: () => noTimers,
      recordKeys: createRecordKeys(await openKeyFileProvider(keyFile)),
    });

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "clinic-chat-rotation-"));
    keyFile = join(folder, "key-encryption-keys.json");
    database = await createTestDatabase();
    const first = await productProcess();
    world = await seedWorld(() => first);
    const conversation = patientConversation(world);
    conversationId = conversation.id;
    await world.run((s) =>
      s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
    );
    for (let i = 0; i < 20; i += 1) {
      await world.run((s) => postText(s, conversationId, ref(world.patient), `before rotation ${i}`, at(i)));
    }
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("REC-1: sends and reads in two processes go on while the key rotates: none fails, every message reads after, and the earlier key is gone from the key file", async () => {
    const processes = [await productProcess(), await productProcess()];
    const provider = await openKeyFileProvider(keyFile);
    const earlier = await provider.currentKeyId();
    const failures: unknown[] = [];
    const sent: string[] = [];
    let rotating = true;
    const load = async (uow: UnitOfWork, name: string) => {
      let i = 0;
      // Goes on until the rotation is over, then a little longer: sends after it use the new key.
      for (let after = 0; rotating || after < 5; after += rotating ? 0 : 1) {
        i += 1;
        const text = `${name} ${i}`;
        try {
          await uow.run(world.clinic.id, async (s) => {
            await postText(s, conversationId, ref(world.practitioner), text, at(100 + i));
            const page = await s.messages.history(conversationId, { limit: 20 });
            if (page.some((message) => message.body.kind !== "text"))
              throw new Error("a message did not open");
          });
          sent.push(text);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    const loads = processes.map((uow, index) => load(uow, `process ${index}`));
    // The rotation starts once both processes are sending and reading with the earlier key.
    while (
      sent.filter((text) => text.startsWith("process 0")).length < 3 ||
      sent.filter((text) => text.startsWith("process 1")).length < 3
    ) {
      if (failures.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const current = await rotateKeyEncryptionKey(database.app, database.owner, provider).finally(() => {
      rotating = false;
    });
    await Promise.all(loads);

    expect(failures).toEqual([]);
    expect(current).not.toBe(earlier);
    expect(Object.keys(JSON.parse(await readFile(keyFile, "utf8")).keys)).toEqual([current]);
    const wrappedWith = await sql<{ kek_id: string }>`select distinct kek_id from clinic_keys`.execute(
      database.inspect,
    );
    expect(wrappedWith.rows.map((row) => row.kek_id)).toEqual([current]);

    // A process started after the rotation has only the new key, and reads every message.
    const fresh = await productProcess();
    const texts = await fresh.run(world.clinic.id, async (s) => {
      const page = await s.messages.history(conversationId, { limit: 1000 });
      return page.map((message) => (message.body.kind === "text" ? message.body.text : message.body.kind));
    });
    expect(texts).toHaveLength(20 + sent.length);
    expect(new Set(texts)).toEqual(
      new Set([...sent, ...Array.from({ length: 20 }, (_, i) => `before rotation ${i}`)]),
    );
  }, 180_000);
});
