import { type Kysely, sql } from "kysely";

// REC-3: the clinic's retention period, and the run under way with its fixed cut-off and counts,
// so a run cut off by a crash resumes with the same cut-off. The daily job lists the clinics with
// a period across tenants as the owning role: RLS is forced on the owner too, so a read-only policy
// lets it see the clinic ids on a managed database where it is no superuser. Each clinic is then
// worked through its own RLS-bound unit of work. The index finds the oldest messages not yet
// deleted without reading the deleted ones again.

const id = `text COLLATE "C" NOT NULL`;
const mine = `clinic_id = nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `CREATE TABLE retention_policies (
    clinic_id ${id} PRIMARY KEY REFERENCES clinics (id),
    amount integer NOT NULL CHECK (amount > 0),
    unit text NOT NULL CHECK (unit IN ('days', 'months', 'years')),
    set_by ${id},
    set_at timestamptz NOT NULL,
    FOREIGN KEY (clinic_id, set_by) REFERENCES staff (clinic_id, id)
  )`,
  `CREATE TABLE retention_runs (
    clinic_id ${id} PRIMARY KEY REFERENCES clinics (id),
    started_at timestamptz NOT NULL,
    cutoff timestamptz NOT NULL,
    deleted_messages integer NOT NULL CHECK (deleted_messages >= 0),
    deleted_files integer NOT NULL CHECK (deleted_files >= 0)
  )`,
  `CREATE INDEX messages_by_age ON messages (clinic_id, sent_at, id) WHERE body_kind <> 'deleted'`,
  "ALTER TABLE retention_policies ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE retention_policies FORCE ROW LEVEL SECURITY",
  `CREATE POLICY retention_policies_tenant ON retention_policies USING (${mine}) WITH CHECK (${mine})`,
  "CREATE POLICY retention_policies_owner_run ON retention_policies FOR SELECT TO CURRENT_USER USING (true)",
  "ALTER TABLE retention_runs ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE retention_runs FORCE ROW LEVEL SECURITY",
  `CREATE POLICY retention_runs_tenant ON retention_runs USING (${mine}) WITH CHECK (${mine})`,
];

/** The retention period and its runs (REC-3). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
