import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./Database";

/** A role name we put in DDL: a plain lower-case identifier. */
export const roleName = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates or updates a LOGIN role that can never bypass row-level security, and takes every
 * table, sequence and function privilege it had away again, leaving only schema usage and the
 * right to connect: callers then grant exactly what that role needs. Runs under the lock that
 * serialises role changes of processes starting together.
 */
export async function resetLoginRole(
  trx: Transaction<Database> | Kysely<Database>,
  options: { role: string; password: string; inherit: boolean },
): Promise<void> {
  if (!roleName.test(options.role)) throw new Error("a database role name must be a plain identifier");
  await sql`select pg_advisory_xact_lock(hashtext('clinic-chat:prepare'))`.execute(trx);
  const existing = await sql<{ privileged: boolean }>`
    select rolsuper or rolbypassrls or rolreplication as privileged from pg_roles
    where rolname = ${options.role}`.execute(trx);
  const verb = existing.rows.length > 0 ? "ALTER" : "CREATE";
  // PostgreSQL before 16 lets only a superuser name SUPERUSER, BYPASSRLS or REPLICATION in ALTER
  // ROLE, even to turn them off, and a managed database's owner is none: an existing role that has
  // none of them keeps none when they are left out. One that has some is changed by naming them,
  // which only a superuser may do, so the owner then refuses with PostgreSQL's own message.
  const attributes =
    verb === "ALTER" && !existing.rows[0]?.privileged ? "" : "NOSUPERUSER NOBYPASSRLS NOREPLICATION ";
  // The password cannot be a bind parameter in role DDL: let the server quote it.
  const ddl = await sql<{ statement: string }>`
    select format(
      '%s ROLE %I WITH LOGIN PASSWORD %L %sNOCREATEDB NOCREATEROLE %s',
      ${verb}::text, ${options.role}::text, ${options.password}::text, ${attributes}::text,
      ${options.inherit ? "INHERIT" : "NOINHERIT"}::text
    ) as statement`.execute(trx);
  await sql.raw(ddl.rows[0]!.statement).execute(trx);

  const role = sql.id(options.role);
  await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(trx);
  await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`.execute(trx);
  await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(trx);
  const database = await sql<{ name: string }>`select current_database() as name`.execute(trx);
  await sql`GRANT CONNECT ON DATABASE ${sql.id(database.rows[0]!.name)} TO ${role}`.execute(trx);
}
