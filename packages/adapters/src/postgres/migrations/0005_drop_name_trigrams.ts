import { type Kysely, sql } from "kysely";

// Name search reads the word index of migration 0004: the trigram indexes over whole names from
// 0001 answer no query any more, and every write of a person still paid for them.

/** Drops the whole-name trigram indexes. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS patients_name_search`.execute(db);
  await sql`DROP INDEX IF EXISTS staff_name_search`.execute(db);
}
