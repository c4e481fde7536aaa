import { type Kysely, sql } from "kysely";

// REC-7: emergency access. An admin opens a conversation they are not part of, for one hour, with
// a reason. The reason is free text an admin types (it may name the patient), so it is kept here,
// beside the grant, and never in the audit trail, whose records hold ids and reason codes only;
// the grant's audit record names the conversation and the admin at the grant's moment. A grant is
// written once and never changed or removed: it is part of the record of who read what.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;

const statements = [
  `CREATE TABLE emergency_access (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    conversation_id ${id},
    admin_id ${id},
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    granted_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > granted_at),
    PRIMARY KEY (clinic_id, id),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id),
    FOREIGN KEY (clinic_id, admin_id) REFERENCES staff (clinic_id, id)
  )`,
  // ELIG-4 with REC-7: every read of a conversation asks whether the reader holds a live grant.
  `CREATE INDEX emergency_access_by_reader ON emergency_access (clinic_id, conversation_id, admin_id, expires_at)`,
  `CREATE INDEX emergency_access_recent ON emergency_access (clinic_id, granted_at)`,
  "ALTER TABLE emergency_access ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE emergency_access FORCE ROW LEVEL SECURITY",
  `CREATE POLICY emergency_access_read ON emergency_access FOR SELECT USING (${mine})`,
  `CREATE POLICY emergency_access_grant ON emergency_access FOR INSERT WITH CHECK (${mine})`,
];

/** Emergency access grants with their reasons (REC-7). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
