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
  const exists = await sql<{ exists: boolean }>`
    select exists (select from pg_roles where rolname = ${options.role}) as exists`.execute(trx);
  const verb = exists.rows[0]?.exists ? "ALTER" : "CREATE";
  // The password cannot be a bind parameter in role DDL: let the server quote it.
  const ddl = await sql<{ statement: string }>`
    select format(
      '%s ROLE %I WITH LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION %s',
      ${verb}::text, ${options.role}::text, ${options.password}::text, ${options.inherit ? "INHERIT" : "NOINHERIT"}::text
    ) as statement`.execute(trx);
  await sql.raw(ddl.rows[0]!.statement).execute(trx);

  const role = sql.id(options.role);
  await sql`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`.execute(trx);
  await sql`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${role}`.execute(trx);
  await sql`GRANT USAGE ON SCHEMA public TO ${role}`.execute(trx);
  const database = await sql<{ name: string }>`select current_database() as name`.execute(trx);
  await sql`GRANT CONNECT ON DATABASE ${sql.id(database.rows[0]!.name)} TO ${role}`.execute(trx);
}
