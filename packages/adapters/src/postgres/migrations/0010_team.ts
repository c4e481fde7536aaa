import { type Kysely, sql } from "kysely";

// A real clinic can start (ADMIN-1, ADMIN-2). Frozen in time like every migration.
//
// ADMIN-1: a clinic keeps its IANA time zone; clinics made before it existed are in UTC. The
// operator command lists clinics as the owner.
//
// ADMIN-2: staff invitations. An admin invites an email with a role; the invitee follows a
// single-use link to become a staff member. The token is stored only as its SHA-256 (as every
// token of 0002); a resend gives the same invitation a new token, so the old link stops working.
// The link is followed before the clinic is known, so the one read across clinics is a narrow
// SECURITY DEFINER look-up of unused, unrevoked invitations, like auth_invitation_by_token_hash.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `ALTER TABLE clinics ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC' CHECK (time_zone <> '')`,
  // The operator command lists every clinic as the owning role (RLS is forced on it too); it
  // reads only, and the application role owns nothing, so this never applies to it.
  `CREATE POLICY clinics_owner_list ON clinics FOR SELECT TO CURRENT_USER USING (true)`,
  `CREATE TABLE staff_invitations (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    token_hash bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    email text NOT NULL CHECK (email <> '' AND email = lower(btrim(email))),
    role text NOT NULL CHECK (role IN ('admin', 'practitioner', 'staff')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
    used_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (clinic_id, id)
  )`,
  `CREATE INDEX staff_invitations_by_email ON staff_invitations (clinic_id, email)`,
  "ALTER TABLE staff_invitations ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE staff_invitations FORCE ROW LEVEL SECURITY",
  `CREATE POLICY staff_invitations_tenant ON staff_invitations
    USING (clinic_id = ${requestClinic}) WITH CHECK (clinic_id = ${requestClinic})`,
  `CREATE POLICY staff_invitations_owner_lookup ON staff_invitations FOR SELECT TO CURRENT_USER USING (true)`,
  `CREATE FUNCTION auth_staff_invitation_by_token_hash(p_token_hash bytea)
    RETURNS TABLE (clinic_id text, id text, email text, role text, expires_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
      SELECT i.clinic_id::text, i.id::text, i.email, i.role, i.expires_at
      FROM public.staff_invitations i
      WHERE i.token_hash = p_token_hash AND i.used_at IS NULL AND i.revoked_at IS NULL
    $$`,
  "REVOKE ALL ON FUNCTION auth_staff_invitation_by_token_hash(bytea) FROM PUBLIC",
];

/** Clinics' time zones and staff invitations. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
