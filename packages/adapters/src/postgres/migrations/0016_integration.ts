import { type Kysely, sql } from "kysely";

// INTEG-1 and INTEG-2: the clinic's practice-management system feeds Clinic Chat through API
// credentials of the clinic. A credential keeps only the SHA-256 of its secret (the secret is
// 256 random bits, so a slow hash adds nothing), when it was last used and when it was revoked.
// Staff and appointments get the host system's id beside the patients', each unique per clinic,
// so a repeated load updates the row it names instead of adding another. The audit trail names
// the credential that acted where no person did.

const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;
const id = `text COLLATE "C" NOT NULL`;

const statements = [
  `ALTER TABLE staff ADD COLUMN host_id text COLLATE "C"`,
  `CREATE UNIQUE INDEX staff_host_id ON staff (clinic_id, host_id) WHERE host_id IS NOT NULL`,
  `ALTER TABLE appointments ADD COLUMN host_id text COLLATE "C"`,
  `CREATE UNIQUE INDEX appointments_host_id ON appointments (clinic_id, host_id) WHERE host_id IS NOT NULL`,
  `CREATE TABLE api_credentials (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    name text NOT NULL CHECK (name <> ''),
    secret_digest bytea NOT NULL CHECK (length(secret_digest) = 32),
    created_at timestamptz NOT NULL,
    created_by ${id},
    last_used_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (clinic_id, id),
    FOREIGN KEY (clinic_id, created_by) REFERENCES staff (clinic_id, id)
  )`,
  "ALTER TABLE api_credentials ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE api_credentials FORCE ROW LEVEL SECURITY",
  `CREATE POLICY api_credentials_tenant ON api_credentials USING (${mine}) WITH CHECK (${mine})`,
  `ALTER TABLE audit_log ADD COLUMN credential_id text COLLATE "C"`,
];

/** API credentials, and host ids on staff and appointments. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
