import { type Kysely, sql } from "kysely";

// FILE-2, FILE-6 on a managed database (OPS-3): the periodic cleanup lists, across clinics, the
// clinics that have stale unconfirmed uploads or old refusals, as the owning role. RLS is forced on
// the owner too, so an owner that is neither a superuser nor BYPASSRLS would find nothing and the
// cleanup would never run. These policies let the owner read those rows; they read only, and the
// application role owns nothing, so they never apply to it. Each clinic is then cleaned up through
// its own RLS-bound unit of work.

const statements = [
  "CREATE POLICY files_owner_cleanup ON files FOR SELECT TO CURRENT_USER USING (true)",
  "CREATE POLICY file_refusals_owner_cleanup ON file_refusals FOR SELECT TO CURRENT_USER USING (true)",
];

/** Lets the owning role list the clinics with stale uploads under forced RLS. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
