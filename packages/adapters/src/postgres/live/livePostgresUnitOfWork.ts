import type { EventLog, NewConversationEvent, UnitOfWork } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import { sql, type Transaction } from "kysely";
import type { Database } from "../Database";
import { type PostgresUnitOfWorkOptions, postgresStores, withClinic } from "../PostgresUnitOfWork";
import type { EventDoorbell } from "./eventDoorbell";

/** Options of {@link createLivePostgresUnitOfWork}. */
export interface LivePostgresUnitOfWorkOptions extends PostgresUnitOfWorkOptions {
  /** Rung after every commit that appended events. */
  readonly doorbell: EventDoorbell;
}

function eventRow(event: NewConversationEvent) {
  return {
    clinic_id: event.clinicId,
    conversation_id: event.conversationId,
    type: event.type,
    message_id: event.messageId,
    person_kind: event.person?.kind ?? null,
    person_id: event.person?.id ?? null,
    seq: event.seq,
    at: event.at,
  };
}

/**
 * The event log of a live unit of work. Before its first event takes an id, the transaction takes
 * its transaction id: the live reader relies on "a transaction that holds an event id had its
 * xid before that id was drawn" to tell an id still in flight from one that never commits (see
 * `startLiveEventFeed`). An INSERT alone draws the id first and the xid just after.
 */
function liveEventLog(
  trx: Transaction<Database>,
  inner: EventLog,
  appended: (newestId: number) => void,
): EventLog {
  let hasXid = false;
  return {
    async append(events) {
      if (events.length === 0) return;
      if (!hasXid) {
        await sql`select pg_current_xact_id()`.execute(trx);
        hasXid = true;
      }
      const rows = await trx
        .insertInto("conversation_events")
        .values(events.map(eventRow))
        .returning("id")
        .execute();
      for (const row of rows) appended(Number(row.id));
    },
    after: (afterId, limit) => inner.after(afterId, limit),
  };
}

/**
 * The PostgreSQL unit of work for processes that serve live updates (MSG-2): the same stores, and
 * after a commit that appended events it rings the doorbell, once per unit of work, outside the
 * transaction. Use it for every unit of work that may append events (API and worker alike).
 */
export function createLivePostgresUnitOfWork(
  db: Kysely<Database>,
  options: LivePostgresUnitOfWorkOptions,
): UnitOfWork {
  return {
    async run(clinicId, work) {
      let newest = 0;
      const result = await withClinic(db, clinicId, (trx) => {
        const stores = postgresStores(trx, clinicId, options);
        const events = liveEventLog(trx, stores.events, (id) => {
          if (id > newest) newest = id;
        });
        return work({ ...stores, events });
      });
      if (newest > 0) options.doorbell.ring(newest);
      return result;
    },
  };
}
