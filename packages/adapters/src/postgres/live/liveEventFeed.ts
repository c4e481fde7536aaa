import type { ConversationEvent, ConversationEventType } from "@clinic-chat/domain";
import type { PersonKind } from "../Database";
import { openPostgres } from "../openPostgres";
import { optionalPersonOf } from "../people";
import { liveEventsChannel } from "./eventDoorbell";

/**
 * The events of every clinic, in id order, each exactly once, as they commit (MSG-2): what one API
 * process hands its subscribers.
 */
export interface LiveEventFeed {
  /**
   * The settled position: every event with an id up to here has been handed to the listeners, or
   * was visible in the table before the feed started, or will never exist. A subscriber that
   * registers now gets everything above it from the feed and can replay everything up to it from
   * the table.
   */
  position(): number;
  /** Resolves when the position is settled for the first time (at start, once the transactions in flight then have ended). */
  readonly ready: Promise<void>;
  /** Adds a listener; it is called synchronously, batch by batch, in id order. Returns its removal. */
  listen(listener: (events: readonly ConversationEvent[]) => void): () => void;
  /** Reads now (the doorbell rang, or a test wants it). */
  wake(): void;
  /** Resolves after a complete read that started after this call. */
  readNow(): Promise<void>;
  /** What the feed is doing, for health checks and tests. */
  stats(): LiveEventFeedStats;
  /** Stops listening and reading; closes its connections. */
  stop(): Promise<void>;
}

/** A snapshot of the feed's state. */
export interface LiveEventFeedStats {
  readonly position: number;
  readonly ready: boolean;
  /** True while an id below visible ones is still held by an open transaction (or not yet known to be dead). */
  readonly waitingOnGap: boolean;
  /** How many times missing ids below visible ones made the feed wait. */
  readonly gapsWaited: number;
  readonly reads: number;
  readonly delivered: number;
}

/** Options of {@link startLiveEventFeed}. */
export interface LiveEventFeedOptions {
  /** Connection URL of the live reader role (see `prepareLiveReader`); the LISTEN uses it too. */
  readonly url: string;
  readonly channel?: string;
  /** Most rows per read (default 1000). */
  readonly batchSize?: number;
  /** How often to look again while waiting on a gap or on the start (default 20 ms). */
  readonly gapPollMs?: number;
  /** Safety net for notifications lost while the LISTEN connection was down (default 1000 ms). */
  readonly idlePollMs?: number;
  /** A failed read is retried at the next poll; this only reports it (no content: ids at most). */
  readonly onError?: (error: unknown) => void;
}

interface EventRow {
  horizon: string;
  id: string | null;
  clinic_id: string;
  conversation_id: string | null;
  type: string;
  message_id: string | null;
  person_kind: PersonKind | null;
  person_id: string | null;
  seq: number | null;
  at: Date;
}

/** Missing ids up to `upTo`, all drawn by transactions whose xid is below `xid`. */
interface Gap {
  readonly upTo: number;
  readonly xid: bigint;
}

/**
 * Starts the process's live reader: one LISTEN connection, and one query per wake for all
 * subscribers across clinics, returning content-free event rows.
 *
 * Ids come from a sequence, so a transaction can hold a lower id while a higher one commits. The
 * feed hands out events strictly in id order and never steps over a missing id until it knows that
 * id will never commit:
 * - writers take their xid before drawing an event id (`createLivePostgresUnitOfWork`);
 * - when ids are missing below a visible one, the feed takes an xid of its own right after that
 *   read: every transaction that holds a missing id had its xid before that, so it is lower;
 * - once the oldest running xid (`pg_snapshot_xmin` of the current snapshot) has passed that xid,
 *   every such transaction has ended, and a read whose snapshot is at least that recent shows the
 *   ids that committed; the ones still missing rolled back and are skipped.
 * A long-running writing transaction elsewhere in the database therefore delays delivery past a gap
 * until it ends (never skips it); set `idle_in_transaction_session_timeout` in production.
 */
export async function startLiveEventFeed(options: LiveEventFeedOptions): Promise<LiveEventFeed> {
  const channel = options.channel ?? liveEventsChannel;
  const batchSize = options.batchSize ?? 1000;
  const gapPollMs = options.gapPollMs ?? 20;
  const idlePollMs = options.idlePollMs ?? 1000;
  const sql = openPostgres(options.url, {
    max: 1,
    onnotice: () => undefined,
    connection: { application_name: "clinic-chat-live" },
  });

  const listeners = new Set<(events: readonly ConversationEvent[]) => void>();
  let position = 0;
  let gap: Gap | null = null;
  let startXid = 0n;
  let isReady = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let started = 0;
  let completed = 0;
  let delivered = 0;
  let gapsWaited = 0;
  const passWaiters: { pass: number; resolve: () => void }[] = [];

  const takeXid = async () => {
    const [row] = await sql<{ xid: string }[]>`select pg_current_xact_id()::text as xid`;
    return BigInt(row!.xid);
  };

  // Start at the newest visible event; transactions in flight now may still commit lower ids, so
  // the position is settled only once they have all ended (the same reasoning as for a gap).
  try {
    const [newest] = await sql<
      { id: string }[]
    >`select coalesce(max(id), 0)::text as id from conversation_events`;
    position = Number(newest!.id);
    startXid = await takeXid();
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }

  const readOnce = async (): Promise<{ more: boolean }> => {
    // One snapshot for the horizon and the rows: a transaction older than the horizon has ended,
    // so if it committed, its rows are in this very snapshot.
    const rows = await sql<EventRow[]>`
      with h as (select pg_snapshot_xmin(pg_current_snapshot())::text as horizon)
      select h.horizon, e.id::text as id, e.clinic_id, e.conversation_id, e.type, e.message_id,
        e.person_kind, e.person_id, e.seq, e.at
      from h left join lateral (
        select id, clinic_id, conversation_id, type, message_id, person_kind, person_id, seq, at
        from conversation_events where id > ${String(position)} order by id limit ${batchSize}
      ) e on true`;
    const horizon = BigInt(rows[0]!.horizon);
    if (!isReady && horizon >= startXid) {
      isReady = true;
      resolveReady();
    }
    const events: ConversationEvent[] = [];
    let expected = position + 1;
    // The last missing id of the first run of missing ids that cannot be stepped over yet.
    let blockedUntil: number | null = null;
    let highest = position;
    for (const row of rows) {
      if (row.id === null) continue;
      const id = Number(row.id);
      highest = id;
      if (blockedUntil !== null) continue;
      if (id > expected) {
        const dead = gap !== null && gap.upTo >= id - 1 && gap.xid <= horizon;
        if (!dead) {
          blockedUntil = id - 1;
          continue;
        }
      }
      events.push({
        id,
        clinicId: row.clinic_id,
        conversationId: row.conversation_id,
        type: row.type as ConversationEventType,
        messageId: row.message_id,
        person: optionalPersonOf(row.person_kind, row.person_id),
        seq: row.seq,
        at: row.at,
      });
      expected = id + 1;
    }
    const last = events.at(-1);
    if (last) position = last.id;
    if (gap && position >= gap.upTo) gap = null;
    // Handed out before anything else is awaited: the position has passed these events, so a
    // statement failing from here on (the server going away) must not keep them from the listeners.
    if (events.length > 0) {
      delivered += events.length;
      for (const listener of listeners) listener(events);
    }
    if (blockedUntil !== null && (gap === null || gap.upTo < blockedUntil)) {
      // Newly seen missing ids: every transaction holding one of them has its xid by now.
      gap = { upTo: highest - 1, xid: await takeXid() };
      gapsWaited++;
    }
    const returned = rows.filter((row) => row.id !== null).length;
    return { more: blockedUntil === null && returned === batchSize };
  };

  const arm = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(wake, gap !== null || !isReady ? gapPollMs : idlePollMs);
    timer.unref();
  };

  const loop = async () => {
    do {
      again = false;
      started++;
      try {
        const { more } = await readOnce();
        if (more) again = true;
      } catch (error) {
        if (!stopped) options.onError?.(error);
      }
      completed++;
      for (let i = passWaiters.length - 1; i >= 0; i--) {
        const waiter = passWaiters[i]!;
        if (waiter.pass <= completed) {
          passWaiters.splice(i, 1);
          waiter.resolve();
        }
      }
    } while (again && !stopped);
    running = null;
    arm();
  };

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop();
  }

  const listening = await sql
    .listen(
      channel,
      (payload) => {
        const newest = Number(payload);
        // Already read past it: another process's doorbell for events this one has seen.
        if (Number.isFinite(newest) && newest <= position && gap === null && isReady) return;
        wake();
      },
      // (Re)connected: notifications may have been missed meanwhile.
      () => wake(),
    )
    .catch(async (error: unknown) => {
      await sql.end({ timeout: 1 });
      throw error;
    });

  wake();

  return {
    position: () => position,
    ready,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake,
    readNow() {
      if (stopped) return Promise.resolve();
      // Passes run one after the other: the next one to start is the first that starts after now.
      const pass = started + 1;
      const done = new Promise<void>((resolve) => passWaiters.push({ pass, resolve }));
      wake();
      return done;
    },
    stats: () => ({
      position,
      ready: isReady,
      waitingOnGap: gap !== null,
      gapsWaited,
      reads: completed,
      delivered,
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      for (const waiter of passWaiters.splice(0)) waiter.resolve();
      await listening.unlisten().catch(() => undefined);
      await sql.end({ timeout: 1 });
    },
  };
}
