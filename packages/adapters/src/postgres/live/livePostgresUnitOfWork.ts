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
 * Its events are written with the unit of work's last statement (see `withClinic`), and before any
 * of them takes an id the transaction takes its transaction id: the live reader relies on "a
 * transaction that holds an event id had its xid before that id was drawn" to tell an id still in
 * flight from one that never commits (see `startLiveEventFeed`).
 */
export function createLivePostgresUnitOfWork(
  db: Kysely<Database>,
  options: LivePostgresUnitOfWorkOptions,
): UnitOfWork {
  return {
    async run(clinicId, work) {
      const behind: Promise<number>[] = [];
      const result = await withClinic(
        db,
        clinicId,
        (trx, statements, journal) => work(postgresStores(trx, statements, clinicId, options, journal)),
        { appendedBehind: (id) => behind.push(id) },
      );
      // Answered before the COMMIT was, so settled already: no wait here.
      const newest = behind.length > 0 ? Math.max(...(await Promise.all(behind))) : 0;
      if (newest > 0) options.doorbell.ring(newest);
      return result;
    },
  };
}
