import { type Kysely, sql } from "kysely";

// REC-2: an erased patient stays as a tombstone, so conversations and the audit trail still point
// somewhere: who erased them, when and why (the clinic's note for its admins, never in the audit
// trail). The tombstone's name is empty, so it is in no name search.

const statements = [
  `ALTER TABLE patients
    ADD COLUMN erased_at timestamptz,
    ADD COLUMN erased_by text COLLATE "C",
    ADD COLUMN erasure_reason text CHECK (length(erasure_reason) BETWEEN 1 AND 500),
    ADD CONSTRAINT patients_erasure_whole CHECK (
      (erased_at IS NULL AND erased_by IS NULL AND erasure_reason IS NULL)
      OR (erased_at IS NOT NULL AND erased_by IS NOT NULL AND erasure_reason IS NOT NULL
          AND name = '' AND email IS NULL AND mobile_phone IS NULL AND date_of_birth IS NULL
          AND host_id IS NULL AND portal_account = 'none')
    ),
    ADD CONSTRAINT patients_erased_by FOREIGN KEY (clinic_id, erased_by) REFERENCES staff (clinic_id, id)`,
];

/** Erased patients' tombstones (REC-2). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
