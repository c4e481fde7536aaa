import { type Kysely, sql } from "kysely";
import type { Database } from "../Database";

/** The NOTIFY channel that tells listening API processes new events have committed. */
export const liveEventsChannel = "clinic_chat_events";

/**
 * Tells the listening processes that events committed (MSG-2). One NOTIFY per interval at most,
 * whatever the number of commits, and never inside a use case's transaction: a NOTIFY takes a
 * database-wide lock at commit, which serialises every committing writer behind it.
 */
export interface EventDoorbell {
  /** Notes that events up to `newestId` have committed; a NOTIFY follows within the interval. */
  ring(newestId: number): void;
  /** Sends what is still pending, then rings no more. */
  close(): Promise<void>;
}

/** Options of {@link createEventDoorbell}. */
export interface EventDoorbellOptions {
  readonly channel?: string;
  /** Least time between two NOTIFYs of this process, in milliseconds (default 5). */
  readonly intervalMs?: number;
  /** A failed NOTIFY is not retried: the listeners' safety poll finds the events anyway. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A batched doorbell over `db`: the NOTIFY runs in a transaction of its own on the pool and carries
 * only the newest event id this process has seen commit (content-free, a hint for skipping reads).
 *
 * The coalescing is written here, not with a batching library: rings are a signal with no answer
 * per ring, folded into one NOTIFY per interval whose payload is their newest id, and the NOTIFYs
 * go out one after another; DataLoader's per-item promises and per-tick batches express neither.
 */
export function createEventDoorbell(db: Kysely<Database>, options: EventDoorbellOptions = {}): EventDoorbell {
  const channel = options.channel ?? liveEventsChannel;
  const intervalMs = options.intervalMs ?? 5;
  let newest = 0;
  let rung = false;
  let closed = false;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  /** Cancels the NOTIFY scheduled, if any. */
  let timer: (() => void) | null = null;
  let sending: Promise<void> = Promise.resolve();

  const send = () => {
    timer = null;
    if (!rung) return;
    rung = false;
    lastSentAt = performance.now();
    const payload = String(newest);
    const previous = sending;
    sending = previous
      .then(() => sql`select pg_notify(${channel}, ${payload})`.execute(db))
      .then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      );
  };

  return {
    ring(newestId) {
      if (closed) return;
      if (newestId > newest) newest = newestId;
      // Rung even when the id is not new: a lower id committing late must still wake the readers.
      rung = true;
      if (timer) return;
      const wait = Math.max(0, lastSentAt + intervalMs - performance.now());
      // Due now: after this turn's other commits (one NOTIFY for all of them), without the
      // millisecond a zero timeout waits at least.
      if (wait === 0) {
        const immediate = setImmediate(send);
        timer = () => clearImmediate(immediate);
      } else {
        const timeout = setTimeout(send, wait);
        timer = () => clearTimeout(timeout);
      }
    },
    async close() {
      closed = true;
      if (timer) {
        timer();
        send();
      }
      await sending;
    },
  };
}
