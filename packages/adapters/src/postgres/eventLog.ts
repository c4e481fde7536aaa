import type {
  ConversationEvent,
  ConversationEventType,
  EventLog,
  NewConversationEvent,
} from "@clinic-chat/domain";
import { columnsOf } from "./arrayParameters";
import { optionalPersonOf } from "./people";
import type { Statements } from "./Statements";

/**
 * Told of the events a unit of work appended (by its {@link EventJournal}): the live unit of work
 * rings its doorbell with the newest id after the commit.
 */
export interface EventAppends {
  /**
   * The newest id of the unit of work's events, known once their write is answered, at the latest
   * with the COMMIT (a promise that never rejects; 0 when the write failed).
   */
  appendedBehind(newestId: Promise<number>): void;
}

/**
 * Appends events from aligned arrays, one per column ($1 … $8), in their order. The transaction
 * takes its id (`xid`) before an event id is drawn, since an INSERT alone draws the id first and
 * the xid just after, and the live feed relies on "a transaction that holds an event id had its
 * xid before that id was drawn" (see `startLiveEventFeed`).
 */
const appendSql = `with xid as (
    select pg_current_xact_id() as xid
  ), ev as (
    insert into conversation_events (clinic_id, conversation_id, type, message_id, person_kind, person_id, seq, at)
    select e.* from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
      $8::timestamptz[]) as e, xid
     where xid.xid is not null
    returning id
  )
  select id from ev`;

/** One event as the journal keeps it until the unit of work ends: its columns, in `appendSql`'s order. */
type EventColumns = readonly [
  clinicId: string,
  conversationId: string | null,
  type: string,
  messageId: string | null,
  personKind: string | null,
  personId: string | null,
  seq: number | null,
  at: Date,
];

/**
 * The events of one unit of work, kept in the order they were appended and written together as
 * its last statement, sent with its COMMIT. The live feed delivers a clinic's events in id order
 * and waits at an id whose transaction is still open, so an id drawn early would hold back every
 * later event of every clinic for the rest of the unit of work; drawn last, it is held only while
 * the COMMIT runs.
 */
export interface EventJournal {
  /** Keeps `events` to be written when the unit of work ends. */
  add(events: readonly NewConversationEvent[]): void;
  /** Writes what was kept (nothing when nothing was): the unit of work's last statement. */
  writeAll(): Promise<void>;
}

/** The journal of a unit of work on `statements`; `live` is told the newest id once the write is answered. */
export function eventJournal(statements: Statements, live?: EventAppends): EventJournal {
  const kept: EventColumns[] = [];
  return {
    add(events) {
      for (const event of events) {
        kept.push([
          event.clinicId,
          event.conversationId,
          event.type,
          event.messageId,
          event.person?.kind ?? null,
          event.person?.id ?? null,
          event.seq,
          event.at,
        ]);
      }
    },
    async writeAll() {
      if (kept.length === 0) return;
      const { rows } = await statements.writeAnswered<{ id: string }>(appendSql, columnsOf(kept.splice(0)));
      live?.appendedBehind(
        rows.then(
          (answer) => Math.max(0, ...answer.map((row) => Number(row.id))),
          () => 0,
        ),
      );
    },
  };
}

/**
 * The clinic's event log (MSG-2), numbered by a bigint identity. Appends go to the unit of work's
 * journal; `after` reads what is committed in its snapshot, and the live feed tells an id still in
 * flight from one that never commits.
 */
export function postgresEventLog(statements: Statements, clinicId: string, journal: EventJournal): EventLog {
  const { db } = statements;
  return {
    async append(events) {
      journal.add(events);
    },
    async after(afterId, limit) {
      if (limit <= 0) return [];
      const rows = await db
        .selectFrom("conversation_events")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", ">", String(Math.max(0, Math.floor(afterId))))
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(
        (row): ConversationEvent => ({
          id: Number(row.id),
          clinicId: row.clinic_id,
          conversationId: row.conversation_id,
          type: row.type as ConversationEventType,
          messageId: row.message_id,
          person: optionalPersonOf(row.person_kind, row.person_id),
          seq: row.seq,
          at: row.at,
        }),
      );
    },
  };
}
