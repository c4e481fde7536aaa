import { type Kysely, sql } from "kysely";

// HOURS-1 … HOURS-4: Clinic Settings › Office hours, kept with the clinic as one document (the
// weekly periods, closed dates, zone, guidelines and the automatic reply switch), read with the
// clinic wherever the clinic is read, so a post knows whether the clinic is open without another
// read. Null until an admin keeps them.

const statements = [`ALTER TABLE clinics ADD COLUMN office_hours jsonb`];

/** The clinic's office hours. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
