import type { ConversationEvent, ConversationEventType, EventLog } from "@clinic-chat/domain";
import { columnsOf } from "./arrayParameters";
import { optionalPersonOf } from "./people";
import type { Statements } from "./Statements";

/**
 * Told of the events a unit of work appends, by every store that appends them: the live unit of
 * work rings its doorbell with the newest id after the commit.
 */
export interface EventAppends {
  appended(newestId: number): void;
  /**
   * An append written behind: its id is known once the write is answered, at the latest with the
   * unit of work's COMMIT (a promise that never rejects; 0 when the write failed). The write
   * appends through {@link appendingEvents}.
   */
  appendedBehind(newestId: Promise<number>): void;
}

/**
 * The CTEs that append events, named `ev` (returning `id`), from `rows`, a query of the columns
 * (clinic_id, conversation_id, type, message_id, person_kind, person_id, seq, at). Every append
 * goes through here: the transaction takes its id (`xid`) before an event id is drawn, since an
 * INSERT alone draws the id first and the xid just after, and the live feed relies on "a
 * transaction that holds an event id had its xid before that id was drawn" (see
 * `startLiveEventFeed`).
 */
export function appendingEvents(rows: string): string {
  return `xid as (
    select pg_current_xact_id() as xid
  ), ev as (
    insert into conversation_events (clinic_id, conversation_id, type, message_id, person_kind, person_id, seq, at)
    select e.* from (${rows}) as e, xid where xid.xid is not null
    returning id
  )`;
}

/** Events from aligned arrays, one per column ($1 … $8). */
const appendSql = `with ${appendingEvents(`select * from unnest($1::text[], $2::text[], $3::text[], $4::text[],
    $5::text[], $6::text[], $7::int[], $8::timestamptz[])`)}
  select id from ev`;

/**
 * The clinic's event log (MSG-2), numbered by a bigint identity. `after` reads what is committed
 * in its snapshot; the live feed tells an id still in flight from one that never commits.
 */
export function postgresEventLog(statements: Statements, clinicId: string, live?: EventAppends): EventLog {
  const { db } = statements;
  return {
    async append(events) {
      if (events.length === 0) return;
      // Nobody waits for it: the event ids are drawn as late as the unit of work allows (with its
      // next statement or its COMMIT), since the live feed waits for an id still in flight; the
      // feed is told the newest once the unit of work is over.
      const { rows } = await statements.writeAnswered<{ id: string }>(
        appendSql,
        columnsOf(
          events.map((event) => [
            event.clinicId,
            event.conversationId,
            event.type,
            event.messageId,
            event.person?.kind ?? null,
            event.person?.id ?? null,
            event.seq,
            event.at,
          ]),
        ),
      );
      live?.appendedBehind(
        rows.then(
          (answer) => Math.max(0, ...answer.map((row) => Number(row.id))),
          () => 0,
        ),
      );
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
