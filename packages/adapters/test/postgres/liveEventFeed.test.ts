import type { ConversationEvent, NewConversationEvent, UnitOfWork } from "@clinic-chat/domain";
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventDoorbell, type EventDoorbell } from "../../src/postgres/live/eventDoorbell";
import { type LiveEventFeed, startLiveEventFeed } from "../../src/postgres/live/liveEventFeed";
import { postgresLiveMembership } from "../../src/postgres/live/liveMembership";
import { createLivePostgresUnitOfWork } from "../../src/postgres/live/livePostgresUnitOfWork";
import { prepareLiveReader } from "../../src/postgres/live/prepareLiveReader";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { at, newId, patientConversation, ref, seedWorld, type World } from "../contract/fixtures";
import { idsMidway } from "../support/eventsMidway";
import { createTestDatabase, type TestDatabase, withDatabase } from "../support/postgres";

const readerRole = "clinic_chat_live_feed_test";
const readerPassword = "live-reader-test-password";

let database: TestDatabase;
let readerUrl: string;
let world: World;
const silent: EventDoorbell = { ring: () => undefined, close: async () => undefined };
const noQueue = { notificationQueue: () => ({ schedule: async () => undefined }) };
let uow: UnitOfWork;
const feeds: LiveEventFeed[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await prepareLiveReader({ ownerUrl: database.ownerUrl, role: readerRole, password: readerPassword });
  readerUrl = withDatabase(database.ownerUrl, database.name, { name: readerRole, password: readerPassword });
  uow = createLivePostgresUnitOfWork(database.app, { ...noQueue, doorbell: silent });
  world = await seedWorld(() => uow);
});
afterAll(async () => {
  await Promise.all(feeds.map((feed) => feed.stop()));
  await database?.close();
});

async function startFeed(options: { idlePollMs?: number } = {}): Promise<LiveEventFeed> {
  const feed = await startLiveEventFeed({ url: readerUrl, ...options });
  feeds.push(feed);
  return feed;
}

/** Rejects after `ms`: every wait in these tests is for an event, bounded. */
function within<T>(promise: Promise<T>, ms = 10_000, what = "the awaited event"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Everything a feed hands out, and a way to wait until it has handed out enough. */
function collect(feed: LiveEventFeed) {
  const events: ConversationEvent[] = [];
  const checks = new Set<() => void>();
  feed.listen((batch) => {
    events.push(...batch);
    for (const check of checks) check();
  });
  return {
    events,
    ids: () => events.map((event) => event.id),
    until(predicate: (events: readonly ConversationEvent[]) => boolean, what = "events"): Promise<void> {
      return within(
        new Promise<void>((resolve) => {
          const check = () => {
            if (!predicate(events)) return;
            checks.delete(check);
            resolve();
          };
          checks.add(check);
          check();
        }),
        10_000,
        what,
      ).finally(() => checks.clear());
    },
  };
}

function posted(clinicId: string, minute = 1): NewConversationEvent {
  return {
    clinicId,
    conversationId: newId("conv"),
    type: "message.posted",
    messageId: newId("msg"),
    person: null,
    seq: 1,
    at: at(minute),
  };
}

/** A unit of work that appends and then stays open until told to commit or roll back. */
function holdOpen(clinicId: string, events: readonly NewConversationEvent[]) {
  let appended!: (id: number) => void;
  const tookId = new Promise<number>((resolve) => {
    appended = resolve;
  });
  let release!: (how: "commit" | "rollback") => void;
  const released = new Promise<"commit" | "rollback">((resolve) => {
    release = resolve;
  });
  const done = idsMidway(database.app, clinicId, events, async (log) => {
    const own = await log.after(0, 100_000);
    appended(own.at(-1)!.id);
    if ((await released) === "rollback") throw new Error("rolled back on purpose");
  });
  done.catch(() => undefined);
  return {
    tookId,
    commit: () => {
      release("commit");
      return done;
    },
    rollback: () => {
      release("rollback");
      return done.then(
        () => {
          throw new Error("expected a rollback");
        },
        () => undefined,
      );
    },
  };
}

async function appendCommitted(clinicId: string, count = 1): Promise<number[]> {
  return idsMidway(
    database.app,
    clinicId,
    Array.from({ length: count }, (_, i) => posted(clinicId, i)),
    async (log) => (await log.after(0, 100_000)).slice(-count).map((event) => event.id),
  );
}

describe("live reader role", () => {
  it("ELIG-5/SEC-4: reads the content-free events of every clinic and nothing else; the app role stays bound to one clinic", async () => {
    await appendCommitted(world.clinic.id);
    await appendCommitted(world.otherClinic.id);
    const reader = postgres(readerUrl, { max: 1, onnotice: () => undefined });
    try {
      const clinics = await reader<{ clinic_id: string }[]>`
        select distinct clinic_id from conversation_events`;
      expect(clinics.map((row) => row.clinic_id).sort()).toEqual(
        [world.clinic.id, world.otherClinic.id].sort(),
      );
      for (const table of [
        "messages",
        "conversation_participants",
        "patients",
        "staff",
        "audit_log",
        "files",
      ]) {
        await expect(reader.unsafe(`select 1 from ${table} limit 1`), table).rejects.toMatchObject({
          code: "42501",
        });
      }
      await expect(
        reader`insert into conversation_events (clinic_id, type, at) values (${world.clinic.id}, 'x', now())`,
      ).rejects.toMatchObject({ code: "42501" });
    } finally {
      await reader.end({ timeout: 1 });
    }
    const seenByApp = await withClinic(database.app, world.clinic.id, (trx) =>
      trx.selectFrom("conversation_events").select("clinic_id").distinct().execute(),
    );
    expect(seenByApp.map((row) => row.clinic_id)).toEqual([world.clinic.id]);
  });
});

describe("live event feed", () => {
  it("MSG-2: hands out every clinic's new events in one stream, in id order, each once", async () => {
    const feed = await startFeed();
    await within(feed.ready);
    const got = collect(feed);
    const start = feed.position();
    const first = await appendCommitted(world.clinic.id, 3);
    const second = await appendCommitted(world.otherClinic.id, 2);
    feed.wake();
    await got.until((events) => events.length >= 5);
    expect(got.ids()).toEqual([...first, ...second]);
    expect(got.ids().every((id) => id > start)).toBe(true);
    expect(new Set(got.events.map((e) => e.clinicId))).toEqual(
      new Set([world.clinic.id, world.otherClinic.id]),
    );
    expect(got.events[0]).toMatchObject({ type: "message.posted", clinicId: world.clinic.id, seq: 1 });
  });

  it("MSG-2: a NOTIFY from the doorbell wakes the feed (no polling needed)", async () => {
    const feed = await startFeed({ idlePollMs: 600_000 });
    await within(feed.ready);
    const got = collect(feed);
    const doorbell = createEventDoorbell(database.app);
    const ringing = createLivePostgresUnitOfWork(database.app, { ...noQueue, doorbell });
    try {
      await ringing.run(world.clinic.id, (s) => s.events.append([posted(world.clinic.id)]));
      await got.until((events) => events.length === 1, "the doorbell's wake-up");
    } finally {
      await doorbell.close();
    }
  });

  it("MSG-2: a lower id still in flight holds back a higher committed one until it commits; nothing is skipped", async () => {
    const feed = await startFeed();
    await within(feed.ready);
    const got = collect(feed);
    const low = holdOpen(world.clinic.id, [posted(world.clinic.id)]);
    const lowId = await within(low.tookId);
    const [highId] = await appendCommitted(world.clinic.id);
    expect(highId).toBeGreaterThan(lowId);
    await feed.readNow();
    await feed.readNow();
    expect(got.ids()).toEqual([]);
    expect(feed.stats().waitingOnGap).toBe(true);
    expect(feed.position()).toBeLessThan(lowId);
    await low.commit();
    await got.until((events) => events.length === 2, "both events");
    expect(got.ids()).toEqual([lowId, highId]);
  });

  it("MSG-2: an id whose transaction rolled back is stepped over once that transaction has ended", async () => {
    const feed = await startFeed();
    await within(feed.ready);
    const got = collect(feed);
    const doomed = holdOpen(world.clinic.id, [posted(world.clinic.id)]);
    const doomedId = await within(doomed.tookId);
    const [afterId] = await appendCommitted(world.clinic.id);
    await feed.readNow();
    expect(got.ids()).toEqual([]);
    await doomed.rollback();
    await got.until((events) => events.length === 1, "the committed event after the rolled back one");
    expect(got.ids()).toEqual([afterId]);
    expect(got.ids()).not.toContain(doomedId);
  });

  it("MSG-2: a feed started while a lower id is in flight is ready only once that transaction has ended", async () => {
    const low = holdOpen(world.clinic.id, [posted(world.clinic.id)]);
    const lowId = await within(low.tookId);
    const [highId] = await appendCommitted(world.clinic.id);
    const feed = await startFeed();
    await feed.readNow();
    await feed.readNow();
    expect(feed.stats().ready).toBe(false);
    await low.commit();
    await within(feed.ready, 10_000, "readiness");
    // Everything up to the position is now in the table for replay, including the late low id.
    expect(feed.position()).toBeGreaterThanOrEqual(highId!);
    const replayable = await uow.run(world.clinic.id, (s) => s.events.after(lowId - 1, 1));
    expect(replayable.map((e) => e.id)).toEqual([lowId]);
  });

  it("MSG-2: concurrent writers committing out of order, with rollbacks: two feeds each hand out every committed event once, in id order", async () => {
    const feedA = await startFeed();
    const feedB = await startFeed();
    await within(Promise.all([feedA.ready, feedB.ready]));
    const start = Math.max(feedA.position(), feedB.position());
    const gotA = collect(feedA);
    const gotB = collect(feedB);
    const doorbell = createEventDoorbell(database.app, { intervalMs: 2 });
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const writer = async (w: number) => {
      for (let unit = 0; unit < 30; unit++) {
        const clinicId = (w + unit) % 3 === 0 ? world.otherClinic.id : world.clinic.id;
        const events = Array.from({ length: 1 + random(3) }, () => posted(clinicId));
        const rollback = random(5) === 0;
        const holds = random(4);
        await idsMidway(
          database.app,
          clinicId,
          events,
          async (log) => {
            // Other statements inside the transaction, so commits interleave differently.
            for (let i = 0; i < holds; i++) await log.after(0, 1);
            if (rollback) throw new Error("rolled back on purpose");
          },
          doorbell,
        ).catch(() => undefined);
      }
    };
    try {
      await Promise.all(Array.from({ length: 6 }, (_, w) => writer(w)));
    } finally {
      await doorbell.close();
    }
    const committed = (
      await sql<{
        id: string;
      }>`select id::text as id from conversation_events where id > ${start} order by conversation_events.id`.execute(
        database.inspect,
      )
    ).rows.map((row) => Number(row.id));
    expect(committed.length).toBeGreaterThan(100);
    for (const got of [gotA, gotB]) {
      await got.until((events) => events.length >= committed.length, "every committed event");
      expect(got.ids()).toEqual(committed);
    }
    // Rolled back ids (and ids committed late) below visible ones made both feeds wait at least once.
    expect(feedA.stats().gapsWaited).toBeGreaterThan(0);
    expect(feedB.stats().gapsWaited).toBeGreaterThan(0);
  });
});

describe("live membership", () => {
  it("ELIG-4: lists the conversations a person takes part in, in their clinic only", async () => {
    const conversation = patientConversation(world);
    await uow.run(world.clinic.id, (s) =>
      s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
    );
    const membership = postgresLiveMembership(database.app);
    expect(await membership.conversationsOf(world.clinic.id, ref(world.patient))).toEqual(
      new Set([conversation.id]),
    );
    expect(await membership.conversationsOf(world.clinic.id, ref(world.colleague))).toEqual(new Set());
    expect(await membership.conversationsOf(world.otherClinic.id, ref(world.patient))).toEqual(new Set());
  });
});
