import type { UnitOfWork } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import type { Database } from "../Database";
import { type PostgresUnitOfWorkOptions, postgresStores, withClinic } from "../PostgresUnitOfWork";
import type { EventDoorbell } from "./eventDoorbell";

/** Options of {@link createLivePostgresUnitOfWork}. */
export interface LivePostgresUnitOfWorkOptions extends PostgresUnitOfWorkOptions {
  /** Rung after every commit that appended events. */
  readonly doorbell: EventDoorbell;
}

/**
 * The PostgreSQL unit of work for processes that serve live updates (MSG-2): the same stores, and
 * after a commit that appended events it rings the doorbell, once per unit of work, outside the
 * transaction. Use it for every unit of work that may append events (API and worker alike).
 *
 * Before any of its events takes an id, the transaction takes its transaction id: the live reader
 * relies on "a transaction that holds an event id had its xid before that id was drawn" to tell an
 * id still in flight from one that never commits (see `startLiveEventFeed`). Every append goes
 * through `appendingEvents` of the event log, which sees to it; a post's event id is known once
 * the unit of work's writes are answered, at the latest with its COMMIT.
 */
export function createLivePostgresUnitOfWork(
  db: Kysely<Database>,
  options: LivePostgresUnitOfWorkOptions,
): UnitOfWork {
  return {
    async run(clinicId, work) {
      let newest = 0;
      const behind: Promise<number>[] = [];
      const result = await withClinic(db, clinicId, (trx) =>
        work(
          postgresStores(trx, clinicId, options, {
            appended(id) {
              if (id > newest) newest = id;
            },
            appendedBehind(id) {
              behind.push(id);
            },
          }),
        ),
      );
      // Answered before the COMMIT was, so settled already: no wait here.
      if (behind.length > 0) newest = Math.max(newest, ...(await Promise.all(behind)));
      if (newest > 0) options.doorbell.ring(newest);
      return result;
    },
  };
}
