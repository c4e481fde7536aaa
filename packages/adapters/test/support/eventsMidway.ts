import type { EventLog, NewConversationEvent } from "@clinic-chat/domain";
import type { Kysely } from "kysely";
import type { Database } from "../../src/postgres/Database";
import { postgresEventLog } from "../../src/postgres/eventLog";
import type { EventDoorbell } from "../../src/postgres/live/eventDoorbell";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";

/**
 * A unit of work of `clinicId` on `db` whose events take their ids in its middle, then does `rest`.
 * The product's units of work draw them with their last statement, but the live feed must not
 * depend on that: any open transaction may hold an id. `doorbell` is rung after a commit, as the
 * live unit of work does.
 */
export async function idsMidway<T>(
  db: Kysely<Database>,
  clinicId: string,
  events: readonly NewConversationEvent[],
  rest: (log: EventLog) => Promise<T>,
  doorbell?: EventDoorbell,
): Promise<T> {
  const behind: Promise<number>[] = [];
  const result = await withClinic(
    db,
    clinicId,
    async (_trx, statements, journal) => {
      const log = postgresEventLog(statements, clinicId, journal);
      await log.append(events);
      await journal.writeAll();
      return rest(log);
    },
    { appendedBehind: (id) => behind.push(id) },
  );
  doorbell?.ring(Math.max(0, ...(await Promise.all(behind))));
  return result;
}
