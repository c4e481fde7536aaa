import { randomUUID } from "node:crypto";
import { type ClinicChat, createClinicChat, type NotificationDeps } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import type { PgBoss } from "pg-boss";
import { inject } from "vitest";
import { pgBossBroadcastTurns, pgBossNotificationQueue, startBoss } from "../../src/pg-boss/index";
import { connectPostgres, type TracedStatement } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { createLivePostgresUnitOfWork } from "../../src/postgres/live/index";
import { seedWorld, type World } from "../contract/fixtures";
import { createTestDatabase, type TestDatabase } from "./postgres";

/** The clinic's use cases on a connection that records every statement it sends. */
export interface TracedChat {
  readonly db: TestDatabase;
  readonly boss: PgBoss;
  readonly traced: Kysely<Database>;
  /** Every statement sent through `traced`, in order; a test empties it before what it counts. */
  readonly statements: TracedStatement[];
  readonly world: World;
  readonly chat: ClinicChat;
  /** Ends the connection, pg-boss and the database. */
  close(): Promise<void>;
}

/**
 * A migrated database of its own with a seeded world, and the use cases on the unit of work the API
 * uses (live, pg-boss timers) over a traced connection as the application role: what a use case
 * costs on the wire, statement by statement.
 */
export async function startTracedChat(
  options: {
    /** Broadcast turns through pg-boss, as the API queues them. */
    readonly broadcastTurns?: boolean;
    /** The live doorbell: called with the newest event id of each commit. */
    readonly ring?: (newestId: number) => void;
  } = {},
): Promise<TracedChat> {
  const statements: TracedStatement[] = [];
  let db: TestDatabase | undefined;
  let boss: PgBoss | undefined;
  let traced: Kysely<Database> | undefined;
  const close = async () => {
    await traced?.destroy();
    await boss?.stop({ graceful: false });
    await db?.close();
  };
  try {
    db = await createTestDatabase();
    boss = await startBoss({ ownerUrl: db.ownerUrl, appRole: inject("postgres").appRole, max: 2 });
    traced = connectPostgres(db.appUrl, { max: 2, trace: (statement) => statements.push(statement) });
    const ring = options.ring ?? (() => undefined);
    const uow = createLivePostgresUnitOfWork(traced, {
      notificationQueue: pgBossNotificationQueue(boss),
      ...(options.broadcastTurns ? { broadcastTurns: pgBossBroadcastTurns(boss) } : {}),
      doorbell: { ring, close: async () => undefined },
    });
    const world = await seedWorld(() => uow);
    const deps: NotificationDeps = {
      uow,
      blobs: {
        presignUpload: async () => {
          throw new Error("not used");
        },
        presignDownload: async () => {
          throw new Error("not used");
        },
        inspect: async () => null,
        read: async () => null,
        write: async () => undefined,
        remove: async () => undefined,
      },
      clock: { now: () => new Date() },
      ids: { newId: () => randomUUID() },
      links: { staffApp: "https://clinic.test/staff", patientPortal: "https://clinic.test/portal" },
      email: { send: async () => undefined },
      sms: { send: async () => undefined },
    };
    return { db, boss, traced, statements, world, chat: createClinicChat(deps), close };
  } catch (error) {
    await close();
    throw error;
  }
}
