import { type Kysely, sql } from "kysely";

// FILE-6: a confirmed upload waits in the `checking` state, seen by its sender only, until its
// malware scan shares or refuses it. A refused file leaves only why, for its sender: ids and a
// reason code, never its name or content (DEL-2).

const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;
const id = `text COLLATE "C" NOT NULL`;

const statements = [
  "ALTER TABLE files DROP CONSTRAINT files_state_check",
  "ALTER TABLE files ADD CONSTRAINT files_state_check CHECK (state IN ('pending', 'checking', 'ready'))",
  `CREATE TABLE file_refusals (
    clinic_id ${id},
    file_id ${id},
    conversation_id ${id},
    uploader_kind text NOT NULL CHECK (uploader_kind IN ('staff', 'patient')),
    uploader_id ${id},
    reason text NOT NULL CHECK (reason ~ '^[A-Z_]{1,64}$'),
    refused_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, file_id),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id)
  )`,
  "CREATE INDEX file_refusals_by_age ON file_refusals (clinic_id, refused_at)",
  "ALTER TABLE file_refusals ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE file_refusals FORCE ROW LEVEL SECURITY",
  `CREATE POLICY file_refusals_tenant ON file_refusals USING (${mine}) WITH CHECK (${mine})`,
];

/** The `checking` state of files and the reasons refused files leave for their senders. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
