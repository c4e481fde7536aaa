import { type Kysely, sql } from "kysely";

// INTEG-1: the host system's calls per credential are counted in the credential's own row, one
// minute at a time, so every API process of an installation counts against one limit.

const statements = [
  `ALTER TABLE api_credentials
    ADD COLUMN calls_window_start timestamptz,
    ADD COLUMN calls_in_window integer NOT NULL DEFAULT 0`,
];

/** Adds each credential's count of calls in the current minute. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
