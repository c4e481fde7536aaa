import type { NotificationQueue, NotificationTimer } from "@clinic-chat/domain";
import { afterAll, beforeAll } from "vitest";
import { createPostgresUnitOfWork } from "../../src/postgres/PostgresUnitOfWork";
import type { UnitOfWorkFactory } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "./postgres";

/** Timers scheduled through the test queue (the real one is pg-boss, not part of this adapter). */
export const scheduledTimers: { timer: NotificationTimer; runAt: Date }[] = [];

const recordingQueue: NotificationQueue = {
  async schedule(timer, runAt) {
    scheduledTimers.push({ timer, runAt });
  },
};

/**
 * Gives this test file its own migrated database for its lifetime and a factory of units of
 * work connected as the application role, so RLS applies to every contract test.
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
  return {
    factory: () => createPostgresUnitOfWork(current().app, { notificationQueue: () => recordingQueue }),
    database: current,
  };
}
