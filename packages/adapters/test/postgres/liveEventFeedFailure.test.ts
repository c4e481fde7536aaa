import type { ConversationEvent, NewConversationEvent, UnitOfWork } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { EventDoorbell } from "../../src/postgres/live/eventDoorbell";
import { type LiveEventFeed, startLiveEventFeed } from "../../src/postgres/live/liveEventFeed";
import { createLivePostgresUnitOfWork } from "../../src/postgres/live/livePostgresUnitOfWork";
import { prepareLiveReader } from "../../src/postgres/live/prepareLiveReader";
import { at, newId, seedWorld, type World } from "../contract/fixtures";
import { idsMidway } from "../support/eventsMidway";
import { createTestDatabase, type TestDatabase, withDatabase } from "../support/postgres";

// MSG-2: a statement of the feed failing after a read (the server going away between two
// statements) must not lose the events that read found. The failure is made certain here: the
// feed's role may no longer take an xid, which it does right after a read that finds an id missing.

const readerRole = "clinic_chat_live_feed_failure_test";
const readerPassword = "live-reader-failure-test-password";
const silent: EventDoorbell = { ring: () => undefined, close: async () => undefined };
const noQueue = { notificationQueue: () => ({ schedule: async () => undefined }) };

let database: TestDatabase;
let uow: UnitOfWork;
let world: World;
let feed: LiveEventFeed | null = null;

beforeAll(async () => {
  database = await createTestDatabase();
  await prepareLiveReader({ ownerUrl: database.ownerUrl, role: readerRole, password: readerPassword });
  uow = createLivePostgresUnitOfWork(database.app, { ...noQueue, doorbell: silent });
  world = await seedWorld(() => uow);
});
afterAll(async () => {
  await feed?.stop();
  await database?.close();
});

function posted(clinicId: string): NewConversationEvent {
  return {
    clinicId,
    conversationId: newId("conv"),
    type: "message.posted",
    messageId: newId("msg"),
    person: null,
    seq: 1,
    at: at(1),
  };
}

async function appendCommitted(clinicId: string): Promise<number> {
  return idsMidway(
    database.app,
    clinicId,
    [posted(clinicId)],
    async (log) => (await log.after(0, 100_000)).at(-1)!.id,
  );
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it("MSG-2: the feed's statement after a read fails; the events that read found are handed out all the same, each once, in id order", async () => {
  const errors: unknown[] = [];
  feed = await startLiveEventFeed({
    url: withDatabase(database.ownerUrl, database.name, { name: readerRole, password: readerPassword }),
    // Reads only when woken: the test decides what one read finds.
    idlePollMs: 600_000,
    gapPollMs: 600_000,
    onError: (error) => errors.push(error),
  });
  // Ready once every transaction older than its start has ended anywhere on the server (a test file
  // running beside this one may hold one); it reads only when woken, so it is woken until then.
  for (const deadline = Date.now() + 15_000; !feed.stats().ready; ) {
    if (Date.now() > deadline) throw new Error("the feed never became ready");
    await feed.readNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await feed.readNow();
  const got: ConversationEvent[] = [];
  feed.listen((events) => got.push(...events));

  const appRole = decodeURIComponent(new URL(database.appUrl).username);
  const xid = sql.raw("function pg_catalog.pg_current_xact_id()");
  await sql`revoke execute on ${xid} from public`.execute(database.inspect);
  await sql`grant execute on ${xid} to ${sql.id(appRole)}`.execute(database.inspect);
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let low = 0;
  let holding!: () => void;
  const held = new Promise<void>((resolve) => {
    holding = resolve;
  });
  try {
    const first = await appendCommitted(world.clinic.id);
    // A lower id in flight while a higher one commits: the read finds an id missing.
    const lowDone = idsMidway(database.app, world.clinic.id, [posted(world.clinic.id)], async (log) => {
      low = (await log.after(0, 100_000)).at(-1)!.id;
      holding();
      await released;
    });
    await held;
    const high = await appendCommitted(world.clinic.id);
    await feed.readNow();
    expect(errors.length, "the statement after the read failed").toBeGreaterThan(0);
    // The read found `first` below the missing id: handed out although the next statement failed.
    expect(got.map((event) => event.id)).toEqual([first]);

    await sql`grant execute on ${xid} to public`.execute(database.inspect);
    release();
    await lowDone;
    feed.wake();
    await waitFor(() => got.length >= 3, "the events after the missing id");
    expect(got.map((event) => event.id)).toEqual([first, low, high]);
  } finally {
    release();
    await sql`grant execute on ${xid} to public`.execute(database.inspect);
  }
});
