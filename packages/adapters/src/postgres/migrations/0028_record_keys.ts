import { type Kysely, sql } from "kysely";

// REC-1, REC-2: the clinics' keys, wrapped by the key provider's key-encryption key, and one data
// key per message and per file, wrapped by its clinic's key. The data keys live in tables of their
// own, apart from the rows they open: deleting a message or a file deletes its key row, and a
// backup of the records taken without these tables (docs/deploying.md) holds nothing that opens a
// deleted record, whatever it kept. The owner lists the clinics whose key a rotation re-wraps, and
// the clinics whose earlier rows are still to be sealed, as the owner reads rows elsewhere.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;

const tenant = (table: string) => [
  `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
  `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
  `CREATE POLICY ${table}_tenant ON ${table} USING (${mine}) WITH CHECK (${mine})`,
];

const statements = [
  `CREATE TABLE clinic_keys (
    clinic_id ${id} PRIMARY KEY,
    kek_id text NOT NULL,
    wrapped bytea NOT NULL
  )`,
  `CREATE TABLE message_keys (
    clinic_id ${id},
    message_id ${id},
    wrapped bytea NOT NULL,
    PRIMARY KEY (clinic_id, message_id)
  )`,
  `CREATE TABLE file_keys (
    clinic_id ${id},
    file_id ${id},
    wrapped bytea NOT NULL,
    PRIMARY KEY (clinic_id, file_id)
  )`,
  ...tenant("clinic_keys"),
  ...tenant("message_keys"),
  ...tenant("file_keys"),
  "CREATE POLICY clinic_keys_owner_listing ON clinic_keys FOR SELECT TO CURRENT_USER USING (true)",
  "CREATE POLICY clinics_owner_listing ON clinics FOR SELECT TO CURRENT_USER USING (true)",
];

/** The clinics' keys and the messages' and files' data keys (REC-1, REC-2). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
