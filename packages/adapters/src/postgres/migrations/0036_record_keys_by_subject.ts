import { type Kysely, sql } from "kysely";

// REC-1, REC-2: data keys of the records that are neither messages nor files (a broadcast's text,
// a broadcast file's name, a template's text, a scheduled message's text), each named by the
// subject it opens ("broadcast/<id>", "template/<id>"…). Apart from the rows they open, as the
// message and file keys are: deleting a key row shreds what any copy kept.

const id = `text COLLATE "C" NOT NULL`;
const mine = `clinic_id = nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `CREATE TABLE record_keys (
    clinic_id ${id},
    subject ${id},
    wrapped bytea NOT NULL,
    PRIMARY KEY (clinic_id, subject)
  )`,
  "ALTER TABLE record_keys ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE record_keys FORCE ROW LEVEL SECURITY",
  `CREATE POLICY record_keys_tenant ON record_keys USING (${mine}) WITH CHECK (${mine})`,
  // Deleting a message finds the scheduled message it was sent from, whose key goes with it.
  `CREATE INDEX scheduled_messages_sent_as ON scheduled_messages (clinic_id, message_id)
    WHERE message_id IS NOT NULL`,
];

/** The data keys of broadcasts, broadcast files, templates and scheduled messages (REC-1, REC-2). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
