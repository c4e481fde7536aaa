import { type Kysely, sql } from "kysely";

// Frozen in time, like 0001: sign-in's tables (SEC-1, SEC-2). Passwords are argon2id hashes made
// by the API; session and invitation tokens are stored only as their SHA-256, so a copy of the
// database cannot be replayed as a signed-in browser.

const id = `text COLLATE "C" NOT NULL`;
const personKind = `person_kind text NOT NULL CHECK (person_kind IN ('staff', 'patient'))`;
// As in conversation_participants: only there so the database checks that the person exists in
// the same clinic; the code reads person_kind + person_id.
const personColumns = `
    ${personKind},
    person_id ${id},
    staff_id text COLLATE "C" GENERATED ALWAYS AS (CASE WHEN person_kind = 'staff' THEN person_id END) STORED,
    patient_id text COLLATE "C" GENERATED ALWAYS AS (CASE WHEN person_kind = 'patient' THEN person_id END) STORED`;
const personKeys = `
    FOREIGN KEY (clinic_id, staff_id) REFERENCES staff (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)`;
const sha256 = (column: string) => `${column} bytea NOT NULL CHECK (octet_length(${column}) = 32)`;

const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

const tables = [
  // One sign-in per person. The login email is kept normalised (trimmed, lower case) and is unique
  // per clinic and kind: the same address may sign in to two clinics, or as staff and as patient.
  `CREATE TABLE auth_credentials (
    clinic_id ${id} REFERENCES clinics (id),
    ${personColumns},
    login_email text NOT NULL CHECK (login_email <> '' AND login_email = lower(btrim(login_email))),
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    password_set_at timestamptz NOT NULL,
    totp_secret text,
    totp_enabled boolean NOT NULL DEFAULT false,
    totp_last_step bigint,
    recovery_code_hashes text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (clinic_id, person_kind, person_id),
    UNIQUE (clinic_id, person_kind, login_email),
    ${personKeys},
    CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
  )`,
  // The token hash alone is the key: a request names its session before its clinic is known.
  `CREATE TABLE auth_sessions (
    ${sha256("token_hash")} PRIMARY KEY,
    clinic_id ${id} REFERENCES clinics (id),
    ${personColumns},
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    revoked_at timestamptz,
    ${personKeys}
  )`,
  `CREATE TABLE portal_invitations (
    ${sha256("token_hash")} PRIMARY KEY,
    clinic_id ${id},
    patient_id ${id},
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at timestamptz,
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
  )`,
  // Not a tenant table: failed sign-ins are counted per email and per address before any clinic
  // is known, and the key is a SHA-256 of "email:…" or "ip:…", so the table names nobody.
  `CREATE TABLE sign_in_failures (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ${sha256("key")},
    at timestamptz NOT NULL
  )`,
];

const indexes = [
  // The cross-clinic look-up by email at sign-in.
  `CREATE INDEX auth_credentials_by_email ON auth_credentials (login_email, person_kind)`,
  // Sign out everywhere, and tidying a person's old sessions at sign-in.
  `CREATE INDEX auth_sessions_by_person ON auth_sessions (clinic_id, person_kind, person_id)`,
  `CREATE INDEX portal_invitations_by_patient ON portal_invitations (clinic_id, patient_id)`,
  `CREATE INDEX sign_in_failures_by_key ON sign_in_failures (key, at)`,
  `CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at)`,
];

const tenantTables = ["auth_credentials", "auth_sessions", "portal_invitations"];

function policies(table: string): string[] {
  const mine = `clinic_id = ${requestClinic}`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant ON ${table} USING (${mine}) WITH CHECK (${mine})`,
    // The look-ups below run as this (the owning) role before any clinic is known. RLS is forced
    // on the owner too, so without this policy they would find nothing under an owner that is not
    // a superuser (a managed database). It reads only, and only for the owner: the application
    // role owns nothing, so it is never subject to it.
    `CREATE POLICY ${table}_owner_lookup ON ${table} FOR SELECT TO CURRENT_USER USING (true)`,
  ];
}

// The only ways to read across clinics, each answering one question of sign-in with the fewest
// columns it needs. SECURITY DEFINER runs them as the owner; the search path is pinned so that
// nothing the caller creates can stand in for a table or operator, and EXECUTE is granted to the
// application role only (preparePostgres).
const lookups = [
  // Sign-in by email: who may this be, in which clinics, and the hash to check the password against.
  `CREATE FUNCTION auth_sign_in_candidates(p_person_kind text, p_login_email text)
    RETURNS TABLE (clinic_id text, person_id text, password_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
      SELECT c.clinic_id::text, c.person_id::text, c.password_hash
      FROM public.auth_credentials c
      WHERE c.login_email = p_login_email AND c.person_kind = p_person_kind
      ORDER BY c.clinic_id
      LIMIT 10
    $$`,
  // A request's session by the hash of its cookie: live (not revoked) sessions only.
  `CREATE FUNCTION auth_session_by_token_hash(p_token_hash bytea)
    RETURNS TABLE (clinic_id text, person_kind text, person_id text, last_seen_at timestamptz, expires_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
      SELECT s.clinic_id::text, s.person_kind, s.person_id::text, s.last_seen_at, s.expires_at
      FROM public.auth_sessions s
      WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
    $$`,
  // An invitation by the hash of its link's token: unused invitations only.
  `CREATE FUNCTION auth_invitation_by_token_hash(p_token_hash bytea)
    RETURNS TABLE (clinic_id text, patient_id text, expires_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
      SELECT i.clinic_id::text, i.patient_id::text, i.expires_at
      FROM public.portal_invitations i
      WHERE i.token_hash = p_token_hash AND i.used_at IS NULL
    $$`,
  "REVOKE ALL ON FUNCTION auth_sign_in_candidates(text, text) FROM PUBLIC",
  "REVOKE ALL ON FUNCTION auth_session_by_token_hash(bytea) FROM PUBLIC",
  "REVOKE ALL ON FUNCTION auth_invitation_by_token_hash(bytea) FROM PUBLIC",
];

/** Sign-in: credentials, sessions, portal invitations, failed attempts and the pre-clinic look-ups. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [...tables, ...indexes, ...tenantTables.flatMap(policies), ...lookups];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
