import { type Kysely, sql } from "kysely";

// SEC-2: the session check runs before every request and every delivery of a live event. Its
// statements are the function's own, planned once per connection as the reservation's are (see
// statementPlanning.ts): from the generic plan, with sequential and bitmap scans off, so each is
// a lookup by key however few sessions, staff and patients the tables held when it was planned.
// The settings hold inside the function alone; the caller's planning is as it was.

/** The session check planned as key lookups (SEC-2). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER FUNCTION auth_resolve_session(bytea, timestamptz, boolean, interval)
    SET plan_cache_mode = force_generic_plan
    SET enable_seqscan = off
    SET enable_bitmapscan = off`.execute(db);
}
