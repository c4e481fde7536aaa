import { sql } from "kysely";
import { connectPostgres } from "../connectPostgres";

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

const roleName = /^[a-z_][a-z0-9_]{0,62}$/;

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
      // The same lock as preparePostgres: role changes race between processes starting together.
      await sql`select pg_advisory_xact_lock(hashtext('clinic-chat:prepare'))`.execute(trx);
      const exists = await sql<{ exists: boolean }>`
        select exists (select from pg_roles where rolname = ${options.role}) as exists`.execute(trx);
      const verb = exists.rows[0]?.exists ? "ALTER" : "CREATE";
      const ddl = await sql<{ statement: string }>`
        select format(
          '%s ROLE %I WITH LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT',
          ${verb}::text, ${options.role}::text, ${options.password}::text
        ) as statement`.execute(trx);
      await sql.raw(ddl.rows[0]!.statement).execute(trx);

      const role = sql.id(options.role);
      await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(trx);
      await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`.execute(trx);
      await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(trx);
      const database = await sql<{ name: string }>`select current_database() as name`.execute(trx);
      await sql`GRANT CONNECT ON DATABASE ${sql.id(database.rows[0]!.name)} TO ${role}`.execute(trx);
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
