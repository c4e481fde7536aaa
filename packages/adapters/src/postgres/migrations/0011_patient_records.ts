import { type Kysely, sql } from "kysely";

// ADMIN-3 and ADMIN-5: staff keep a patient's date of birth (so namesakes are told apart) and the
// host system's id (so a CSV re-import updates the patient it names instead of adding another).
// Patients from before have neither; both stay optional in the table, the domain requires a date
// of birth for every patient it adds or edits. A host id names at most one patient per clinic,
// enforced here as well as by the domain, so two concurrent imports cannot both add it.

const statements = [
  `ALTER TABLE patients ADD COLUMN date_of_birth date`,
  `ALTER TABLE patients ADD COLUMN host_id text COLLATE "C"`,
  `CREATE UNIQUE INDEX patients_host_id ON patients (clinic_id, host_id) WHERE host_id IS NOT NULL`,
];

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
