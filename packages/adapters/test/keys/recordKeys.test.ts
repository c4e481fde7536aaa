import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import { seedWorld, type World } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

// REC-1: a data key opened once in a process is found again for the same wrapping of the same
// subject, and for nothing else: another subject, altered bytes or another clinic still open as
// they would without it.

describe("REC-1 data keys opened again", () => {
  let database: TestDatabase;
  let world: World;
  const keys = createRecordKeys(inMemoryKeyProvider());

  beforeAll(async () => {
    database = await createTestDatabase();
    world = await seedWorld(() =>
      createPostgresUnitOfWork(database.app, {
        notificationQueue: () => ({ async schedule() {} }),
        recordKeys: keys,
      }),
    );
  });
  afterAll(async () => {
    await database?.close();
  });

  it("REC-1: the same wrapping of the same subject opens the same key; another subject, changed bytes or another clinic are refused as before", async () => {
    const seal = await keys.forClinic(world.clinic.id, database.owner);
    const { key, wrapped } = seal.newDataKey("message/one");
    const first = seal.dataKey("message/one", wrapped);
    expect(first.export().equals(key)).toBe(true);
    // Read again, as a second reader or a live delivery would: the same key.
    expect(seal.dataKey("message/one", new Uint8Array(wrapped)).export().equals(key)).toBe(true);
    // The wrapping is bound to its subject: copied onto another row it opens nothing.
    expect(() => seal.dataKey("message/two", wrapped)).toThrow();
    const altered = Buffer.from(wrapped);
    altered[altered.length - 1]! ^= 1;
    expect(() => seal.dataKey("message/one", altered)).toThrow();
    // Another wrapping of the same subject (a key made again) opens its own key, not the one kept.
    const again = seal.newDataKey("message/one");
    expect(seal.dataKey("message/one", again.wrapped).export().equals(again.key)).toBe(true);
    expect(seal.dataKey("message/one", wrapped).export().equals(key)).toBe(true);
    // Nor does another clinic's seal open it, though this process opened it for the first clinic.
    const other = await keys.forClinic(world.otherClinic.id, database.owner);
    expect(() => other.dataKey("message/one", wrapped)).toThrow();
    // Text sealed under the key opens through the key found again.
    const sealed = seal.sealText(key, "message/one", "Your results are in.");
    expect(seal.openText(seal.dataKey("message/one", wrapped), "message/one", sealed)).toBe(
      "Your results are in.",
    );
  });
});
