import { type Kysely, sql } from "kysely";

// REC-4: a legal hold on a patient, one at most. The reason is the clinic's note for its admins;
// it never reaches the audit trail, which keeps ids only.

const id = `text COLLATE "C" NOT NULL`;
const mine = `clinic_id = nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `CREATE TABLE legal_holds (
    clinic_id ${id},
    patient_id ${id},
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    placed_by ${id},
    placed_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, patient_id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, placed_by) REFERENCES staff (clinic_id, id)
  )`,
  "ALTER TABLE legal_holds ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE legal_holds FORCE ROW LEVEL SECURITY",
  `CREATE POLICY legal_holds_tenant ON legal_holds USING (${mine}) WITH CHECK (${mine})`,
];

/** Legal holds on patients (REC-4). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
