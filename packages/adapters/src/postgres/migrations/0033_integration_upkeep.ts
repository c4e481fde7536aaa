import { type Kysely, sql } from "kysely";

// INTEG-1: the host system's calls per credential are counted in the credential's own row, one
// minute at a time, so every API process of an installation counts against one limit.
// INTEG-4: the periodic upkeep lists, as the owning role, the clinics whose endpoints hold more
// settled deliveries than their log shows; RLS is forced on the owner too, so on a managed
// database (an owner that is neither a superuser nor BYPASSRLS) this read-only policy lets it see
// them. The application role owns nothing, so it never applies to it. Each clinic's deliveries
// are then forgotten through its own RLS-bound unit of work.

const statements = [
  `ALTER TABLE api_credentials
    ADD COLUMN calls_window_start timestamptz,
    ADD COLUMN calls_in_window integer NOT NULL DEFAULT 0`,
  "CREATE POLICY webhook_events_owner_upkeep ON webhook_events FOR SELECT TO CURRENT_USER USING (true)",
];

/** Counts each credential's calls per minute; lets the owner list clinics with long delivery logs. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
