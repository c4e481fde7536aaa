import { sql } from "kysely";
import { connectPostgres } from "../connectPostgres";
import { resetLoginRole, roleName } from "../loginRole";

/** What {@link prepareLiveReader} needs. */
export interface LiveReaderOptions {
  /** Connection URL of the role that owns the tables (policies can only be made by the owner). */
  readonly ownerUrl: string;
  /** The LOGIN role the live reader connects as; not the application's role. */
  readonly role: string;
  readonly password: string;
}

/** The only columns the live reader may read: ids, kinds and times, never content. */
export const liveReaderColumns = [
  "id",
  "clinic_id",
  "conversation_id",
  "type",
  "message_id",
  "person_kind",
  "person_id",
  "seq",
  "at",
] as const;

/** The policy that lets the live reader see the events of every clinic. */
export const liveReaderPolicy = "conversation_events_live_reader";

/**
 * Creates or updates the live reader's LOGIN role: it reads the content-free columns of
 * `conversation_events` across clinics and nothing else in the database. Run it after
 * `preparePostgres` (it needs the table), at every start; idempotent.
 *
 * Why not RLS with the request's clinic, like the application role: one process serves the
 * clinics of all its subscribers and must read their new events in one query per wake, so the
 * reader needs every clinic's rows. It gets exactly that and no more: SELECT on these columns of
 * this one table, a permissive policy for this role only (the application role stays bound to one
 * clinic per transaction), NOBYPASSRLS, no other grant. The rows say that something happened to
 * which ids; every row is checked against the subscriber's clinic and conversations before it
 * reaches anyone (ELIG-5), and content is loaded only through the application role, as the person.
 */
export async function prepareLiveReader(options: LiveReaderOptions): Promise<void> {
  if (!roleName.test(options.role)) throw new Error("the live reader role name must be a plain identifier");
  const owner = connectPostgres(options.ownerUrl, { max: 1 });
  try {
    await owner.transaction().execute(async (trx) => {
      await resetLoginRole(trx, { role: options.role, password: options.password, inherit: false });
      const role = sql.id(options.role);
      const columns = sql.join(liveReaderColumns.map((column) => sql.id(column)));
      await sql`GRANT SELECT (${columns}) ON conversation_events TO ${role}`.execute(trx);
      await sql`DROP POLICY IF EXISTS ${sql.id(liveReaderPolicy)} ON conversation_events`.execute(trx);
      await sql`CREATE POLICY ${sql.id(liveReaderPolicy)} ON conversation_events
        AS PERMISSIVE FOR SELECT TO ${role} USING (true)`.execute(trx);
    });
  } finally {
    await owner.destroy();
  }
}
