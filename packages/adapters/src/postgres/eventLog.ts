import type { ConversationEvent, ConversationEventType, EventLog } from "@clinic-chat/domain";
import { CompiledQuery, type Kysely } from "kysely";
import { sendAhead } from "./connectPostgres";
import type { Database } from "./Database";
import { optionalPersonOf } from "./people";

/**
 * Told of the events a unit of work appends, by every store that appends them: the live unit of
 * work rings its doorbell with the newest id after the commit. With it, each append takes the
 * transaction id before an event id is drawn (see `startLiveEventFeed`).
 */
export interface EventAppends {
  appended(newestId: number): void;
  /**
   * An append written behind: its id is known once the write is answered, at the latest with the
   * unit of work's COMMIT (a promise that never rejects; 0 when the write failed). The store must
   * have taken the transaction id before the write draws the event id.
   */
  appendedBehind(newestId: Promise<number>): void;
}

/** Taken before the INSERT draws an id: an INSERT alone draws the id first and the xid just after. */
const takeXid = CompiledQuery.raw("select pg_current_xact_id()");

/**
 * The clinic's event log (MSG-2), numbered by a bigint identity. `after` reads what is committed
 * in its snapshot; an id taken by a transaction that commits later than a higher one is not
 * handled here yet (live readers need that; see the report of issue 4).
 */
export function postgresEventLog(db: Kysely<Database>, clinicId: string, live?: EventAppends): EventLog {
  return {
    async append(events) {
      if (events.length === 0) return;
      // Sent ahead, so the server runs it first, in this transaction, at no extra round trip.
      if (live) await sendAhead(db, takeXid);
      const rows = await db
        .insertInto("conversation_events")
        .values(
          events.map((event) => ({
            clinic_id: event.clinicId,
            conversation_id: event.conversationId,
            type: event.type,
            message_id: event.messageId,
            person_kind: event.person?.kind ?? null,
            person_id: event.person?.id ?? null,
            seq: event.seq,
            at: event.at,
          })),
        )
        .returning("id")
        .execute();
      for (const row of rows) live?.appended(Number(row.id));
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
