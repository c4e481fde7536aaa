import { type Kysely, sql } from "kysely";

// Account recovery (ACC-1): a password reset link's token is stored only as its SHA-256, valid for
// a short while and used once, so a copy of the database cannot be replayed as a reset link.

const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;

const statements = [
  `CREATE TABLE password_resets (
    token_hash bytea NOT NULL PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    clinic_id text COLLATE "C" NOT NULL,
    person_kind text NOT NULL CHECK (person_kind IN ('staff', 'patient')),
    person_id text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at timestamptz,
    FOREIGN KEY (clinic_id, person_kind, person_id)
      REFERENCES auth_credentials (clinic_id, person_kind, person_id) ON DELETE CASCADE
  )`,
  `CREATE INDEX password_resets_by_person ON password_resets (clinic_id, person_kind, person_id)`,
  "ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE password_resets FORCE ROW LEVEL SECURITY",
  `CREATE POLICY password_resets_tenant ON password_resets USING (${mine}) WITH CHECK (${mine})`,
  // The look-up below runs as the owner before any clinic is known; RLS is forced on the owner
  // too, so it reads through this policy (the application role owns nothing and never uses it).
  "CREATE POLICY password_resets_owner_lookup ON password_resets FOR SELECT TO CURRENT_USER USING (true)",
  // A reset link by the hash of its token, before its clinic is known: unused links only, with
  // the fewest columns the reset needs. As the other sign-in look-ups: run as the owner, search
  // path pinned, EXECUTE granted to the application role only (preparePostgres).
  `CREATE FUNCTION auth_password_reset_by_token_hash(p_token_hash bytea)
    RETURNS TABLE (clinic_id text, person_kind text, person_id text, expires_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
      SELECT r.clinic_id::text, r.person_kind, r.person_id::text, r.expires_at
      FROM public.password_resets r
      WHERE r.token_hash = p_token_hash AND r.used_at IS NULL
    $$`,
  "REVOKE ALL ON FUNCTION auth_password_reset_by_token_hash(bytea) FROM PUBLIC",
];

/** Password reset links (ACC-1) and their pre-clinic look-up by digest. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
