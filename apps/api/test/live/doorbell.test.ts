import { randomBytes } from "node:crypto";
import { connectPostgres, liveEventsChannel, openPostgres } from "@clinic-chat/adapters";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../packages/adapters/test/support/postgres";
import { liveReaderPassword, type RunningLive, startLive } from "../../src/live/startLive";
import { createLogger } from "../../src/logging";
import { within } from "./support/liveCluster";

// The doorbell tells the other API processes that events committed (MSG-2). It has a connection of
// its own: through the application pool its NOTIFY would wait behind every request waiting for a
// connection, and under load the other processes would hear of new events only as often as that
// queue drains. This proves it with the pool fully taken.

let database: TestDatabase;
let running: RunningLive;
const appDb = () => connectPostgres(database.appUrl, { max: 1 });
let pool: ReturnType<typeof appDb>;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = appDb();
  running = await startLive({
    ownerUrl: database.ownerUrl,
    appDb: pool,
    readerRole: `clinic_chat_live_${randomBytes(4).toString("hex")}`,
    readerPassword: liveReaderPassword(randomBytes(12).toString("hex")),
    logger: createLogger({ level: "silent" }),
  });
});

afterAll(async () => {
  await running?.stop();
  await pool?.destroy();
  await database?.close();
});

describe("the live doorbell", () => {
  it("MSG-2: rings the other processes while every connection of the application pool is taken", async () => {
    const listener = openPostgres(database.ownerUrl, { max: 1, onnotice: () => undefined });
    const heard: string[] = [];
    let hear!: () => void;
    const first = new Promise<void>((resolve) => {
      hear = resolve;
    });
    const listening = await listener.listen(liveEventsChannel, (payload) => {
      heard.push(payload);
      hear();
    });
    // The pool's one connection, held in a transaction until the doorbell has been heard.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding!: () => void;
    const taken = new Promise<void>((resolve) => {
      holding = resolve;
    });
    const occupant = pool.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      holding();
      await held;
    });
    try {
      await taken;
      running.doorbell.ring(41);
      running.doorbell.ring(42);
      // Bounded only so that a regression fails instead of hanging: a NOTIFY through the pool would
      // wait for it, and this test does not free it until the NOTIFY has been heard.
      await within(first, "the doorbell's NOTIFY");
      expect(heard).toEqual(["42"]);
    } finally {
      release();
      await occupant;
      await listening.unlisten();
      await listener.end();
    }
  });
});
