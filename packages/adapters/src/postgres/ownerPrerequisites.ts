import { type Kysely, sql } from "kysely";
import type { Database } from "./Database";

/** The oldest PostgreSQL the product is tested on (OPS-3: Debian's server in CI). */
export const oldestPostgres = 15;

/**
 * Refuses to start, with a sentence naming what is missing, when the database owner
 * (`DATABASE_URL`) cannot do what starting needs: a PostgreSQL too old, no right to create the
 * application and live reader roles, or no right to create the extensions and pg-boss's schema in
 * its database. A managed database's owner is not a superuser (OPS-3); these are what it needs.
 */
export async function checkOwnerPrerequisites(owner: Kysely<Database>): Promise<void> {
  const result = await sql<{ version: number; may_create_roles: boolean; may_create_in_database: boolean }>`
    select current_setting('server_version_num')::int / 10000 as version,
      r.rolsuper or r.rolcreaterole as may_create_roles,
      has_database_privilege(current_database(), 'CREATE') as may_create_in_database
    from pg_roles r where r.rolname = current_user`.execute(owner);
  const facts = result.rows[0];
  if (!facts) throw new Error("the database owner's role was not found in pg_roles");
  if (facts.version < oldestPostgres) {
    throw new Error(
      `Clinic Chat needs PostgreSQL ${oldestPostgres} or later; this server is ${facts.version}`,
    );
  }
  if (!facts.may_create_roles) {
    throw new Error(
      "the role of DATABASE_URL needs CREATEROLE (or SUPERUSER): it creates the application and live reader roles",
    );
  }
  if (!facts.may_create_in_database) {
    throw new Error(
      "the role of DATABASE_URL needs CREATE on its database (own it): migrations create extensions and pg-boss its schema",
    );
  }
}
