import type { NotificationQueue, NotificationTimer } from "@clinic-chat/domain";
import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { afterAll, beforeAll } from "vitest";
import { createRecordKeys } from "../../src/keys/recordKeys";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import type { UnitOfWorkFactory } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "./postgres";

/** Timers scheduled through the test queue (the real one is pg-boss, not part of this adapter). */
export const scheduledTimers: { timer: NotificationTimer; runAt: Date }[] = [];

const recordingQueue: NotificationQueue = {
  async schedule(timers) {
    scheduledTimers.push(...timers);
  },
};

/**
 * Gives this test file its own migrated database for its lifetime and a factory of units of
 * work connected as the application role, so RLS applies to every contract test. Message text
 * and file names are sealed (REC-1), so every contract test reads them back through their keys.
 */
export function usePostgresUnitOfWork(): { factory: UnitOfWorkFactory; database: () => TestDatabase } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  const current = () => {
    if (!database) throw new Error("the test database is not ready yet");
    return database;
  };
  const recordKeys = createRecordKeys(inMemoryKeyProvider());
  return {
    factory: () =>
      createPostgresUnitOfWork(current().app, { notificationQueue: () => recordingQueue, recordKeys }),
    database: current,
  };
}
