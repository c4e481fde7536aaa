import { type Kysely, sql } from "kysely";

// Frozen in time: this migration must keep producing the same schema, so it depends on nothing
// else in the code base. Ids are `text COLLATE "C"`: opaque, compared bytewise (the same order the
// domain's in-memory stores use), and every key leads with clinic_id so that one clinic's rows
// sit together in every index and no foreign key can point into another clinic.

const id = `text COLLATE "C" NOT NULL`;
const optionalId = `text COLLATE "C"`;
const personKind = (column: string, nullable = false) =>
  `${column} text ${nullable ? "" : "NOT NULL"} CHECK (${column} IN ('staff', 'patient'))`;

/** The tenant key the RLS policies compare with the request's clinic (SEC-4). */
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

const tables = [
  `CREATE TABLE clinics (
    id ${id} PRIMARY KEY CHECK (id <> ''),
    name text NOT NULL,
    plan text NOT NULL CHECK (plan IN ('starter', 'enhanced', 'premium')),
    patient_chat_enabled boolean NOT NULL,
    patient_file_sharing_enabled boolean NOT NULL,
    patient_messaging_enabled boolean NOT NULL,
    team_chat_enabled boolean NOT NULL,
    sms_notifications_enabled boolean NOT NULL,
    idle_timeout_minutes integer NOT NULL CHECK (idle_timeout_minutes > 0),
    notification_delay_seconds integer NOT NULL CHECK (notification_delay_seconds >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE staff (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    name text NOT NULL,
    search_name text GENERATED ALWAYS AS (app_search_name(name)) STORED,
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'practitioner', 'staff')),
    active boolean NOT NULL,
    available_for_patient_chat boolean NOT NULL,
    email_notifications boolean NOT NULL,
    PRIMARY KEY (clinic_id, id)
  )`,
  `CREATE TABLE patients (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    name text NOT NULL,
    search_name text GENERATED ALWAYS AS (app_search_name(name)) STORED,
    email text,
    mobile_phone text,
    sms_consent boolean NOT NULL,
    portal_account text NOT NULL CHECK (portal_account IN ('none', 'invited', 'active', 'disabled')),
    PRIMARY KEY (clinic_id, id)
  )`,
  `CREATE TABLE appointments (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    patient_id ${id},
    practitioner_id ${id},
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL CHECK (ends_at >= starts_at),
    status text NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'completed')),
    PRIMARY KEY (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    FOREIGN KEY (clinic_id, practitioner_id) REFERENCES staff (clinic_id, id)
  )`,
  `CREATE TABLE conversations (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    kind text NOT NULL CHECK (kind IN ('patient', 'team')),
    patient_id ${optionalId},
    key ${id},
    created_at timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    last_seq integer NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    PRIMARY KEY (clinic_id, id),
    UNIQUE (clinic_id, key),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
    CHECK ((kind = 'patient') = (patient_id IS NOT NULL))
  )`,
  // staff_id / patient_id exist only so the database can check that a participant is a person
  // of the same clinic; the code reads person_kind + person_id.
  `CREATE TABLE conversation_participants (
    clinic_id ${id},
    conversation_id ${id},
    ${personKind("person_kind")},
    person_id ${id},
    staff_id text COLLATE "C" GENERATED ALWAYS AS (CASE WHEN person_kind = 'staff' THEN person_id END) STORED,
    patient_id text COLLATE "C" GENERATED ALWAYS AS (CASE WHEN person_kind = 'patient' THEN person_id END) STORED,
    added_at timestamptz NOT NULL,
    read_up_to_seq integer NOT NULL DEFAULT 0 CHECK (read_up_to_seq >= 0),
    last_activity_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, conversation_id, person_kind, person_id),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id),
    FOREIGN KEY (clinic_id, staff_id) REFERENCES staff (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
  )`,
  `CREATE TABLE files (
    clinic_id ${id},
    id ${id},
    conversation_id ${id},
    ${personKind("uploader_kind")},
    uploader_id ${id},
    client_id ${id},
    name text NOT NULL,
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    content_type text NOT NULL,
    storage_key ${id},
    state text NOT NULL CHECK (state IN ('pending', 'ready')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, id),
    UNIQUE (clinic_id, storage_key),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id)
  )`,
  // The file reference is checked at commit: a use case erases the message and removes its file
  // record in one unit of work, in whichever order.
  `CREATE TABLE messages (
    clinic_id ${id},
    id ${id},
    conversation_id ${id},
    seq integer NOT NULL CHECK (seq > 0),
    client_id ${id},
    ${personKind("sender_kind")},
    sender_id ${id},
    sent_at timestamptz NOT NULL,
    body_kind text NOT NULL CHECK (body_kind IN ('text', 'file', 'deleted')),
    text text,
    file_id ${optionalId},
    deleted_at timestamptz,
    ${personKind("deleted_by_kind", true)},
    deleted_by_id ${optionalId},
    PRIMARY KEY (clinic_id, id),
    UNIQUE (clinic_id, conversation_id, seq),
    UNIQUE (clinic_id, conversation_id, sender_kind, sender_id, client_id),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id),
    FOREIGN KEY (clinic_id, file_id) REFERENCES files (clinic_id, id) DEFERRABLE INITIALLY DEFERRED,
    CHECK (CASE body_kind
      WHEN 'text' THEN text IS NOT NULL AND file_id IS NULL AND deleted_at IS NULL
      WHEN 'file' THEN text IS NULL AND file_id IS NOT NULL AND deleted_at IS NULL
      ELSE text IS NULL AND file_id IS NULL AND deleted_at IS NOT NULL
        AND deleted_by_kind IS NOT NULL AND deleted_by_id IS NOT NULL
    END)
  )`,
  `CREATE TABLE notification_states (
    clinic_id ${id} REFERENCES clinics (id),
    ${personKind("person_kind")},
    person_id ${id},
    status text NOT NULL CHECK (status IN ('idle', 'pending')),
    burst_id ${optionalId},
    due_at timestamptz,
    pending jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(pending) = 'array'),
    PRIMARY KEY (clinic_id, person_kind, person_id),
    CHECK ((status = 'pending') = (burst_id IS NOT NULL AND due_at IS NOT NULL))
  )`,
  `CREATE TABLE notification_deliveries (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    burst_id ${id},
    ${personKind("person_kind")},
    person_id ${id},
    channel text NOT NULL CHECK (channel IN ('email', 'sms')),
    to_address text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    delivered_at timestamptz,
    PRIMARY KEY (clinic_id, id)
  )`,
  `CREATE TABLE conversation_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id ${id} REFERENCES clinics (id),
    conversation_id ${optionalId},
    type text NOT NULL,
    message_id ${optionalId},
    ${personKind("person_kind", true)},
    person_id ${optionalId},
    seq integer,
    at timestamptz NOT NULL
  )`,
  `CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clinic_id ${id} REFERENCES clinics (id),
    ${personKind("actor_kind", true)},
    actor_id ${optionalId},
    action text NOT NULL,
    conversation_id ${optionalId},
    message_id ${optionalId},
    file_id ${optionalId},
    ${personKind("subject_kind", true)},
    subject_id ${optionalId},
    reason text,
    at timestamptz NOT NULL,
    ip text,
    outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure'))
  )`,
];

const indexes = [
  // START-2: prefix- and typo-tolerant name search inside one clinic (btree_gin lets the clinic
  // and the trigrams share one GIN index).
  `CREATE INDEX patients_name_search ON patients USING gin (clinic_id, search_name gin_trgm_ops)`,
  `CREATE INDEX staff_name_search ON staff USING gin (clinic_id, search_name gin_trgm_ops)`,
  `CREATE INDEX appointments_by_time ON appointments (clinic_id, starts_at)`,
  `CREATE INDEX appointments_by_patient ON appointments (clinic_id, patient_id, starts_at)`,
  `CREATE INDEX appointments_by_practitioner ON appointments (clinic_id, practitioner_id, starts_at)`,
  // MSG-3: a person's conversations, most recently active first, read in index order.
  `CREATE INDEX participants_by_person ON conversation_participants
    (clinic_id, person_kind, person_id, last_activity_at DESC, conversation_id DESC)`,
  // MSG-3: unread counts (seq above a read marker, not deleted, by someone else) from the index alone.
  `CREATE INDEX messages_unread ON messages (clinic_id, conversation_id, seq)
    INCLUDE (sender_kind, sender_id) WHERE body_kind <> 'deleted'`,
  `CREATE INDEX messages_by_file ON messages (clinic_id, file_id) WHERE file_id IS NOT NULL`,
  `CREATE INDEX files_stale_pending ON files (clinic_id, created_at) WHERE state = 'pending'`,
  `CREATE INDEX deliveries_undelivered ON notification_deliveries (clinic_id, burst_id) WHERE delivered_at IS NULL`,
  // MSG-2: replay of one clinic's events after an id.
  `CREATE INDEX events_by_clinic ON conversation_events (clinic_id, id)`,
  `CREATE INDEX audit_by_clinic ON audit_log (clinic_id, id)`,
  `CREATE INDEX audit_by_conversation ON audit_log (clinic_id, conversation_id, id) WHERE conversation_id IS NOT NULL`,
  `CREATE INDEX audit_by_actor ON audit_log (clinic_id, actor_kind, actor_id, id) WHERE actor_id IS NOT NULL`,
];

/** Tables whose rows belong to one clinic, with the column naming it. */
const tenantTables: readonly (readonly [table: string, column: string])[] = [
  ["clinics", "id"],
  ["staff", "clinic_id"],
  ["patients", "clinic_id"],
  ["appointments", "clinic_id"],
  ["conversations", "clinic_id"],
  ["conversation_participants", "clinic_id"],
  ["files", "clinic_id"],
  ["messages", "clinic_id"],
  ["notification_states", "clinic_id"],
  ["notification_deliveries", "clinic_id"],
  ["conversation_events", "clinic_id"],
  ["audit_log", "clinic_id"],
];

// Append-only tables get policies for reading and inserting only: with RLS forced there is then
// no policy under which a row could be updated or deleted, whatever the grants.
const appendOnly = new Set(["conversation_events", "audit_log"]);

function policies(table: string, column: string): string[] {
  const mine = `${column} = ${requestClinic}`;
  const statements = [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
  ];
  if (appendOnly.has(table)) {
    statements.push(
      `CREATE POLICY ${table}_read ON ${table} FOR SELECT USING (${mine})`,
      `CREATE POLICY ${table}_append ON ${table} FOR INSERT WITH CHECK (${mine})`,
    );
  } else {
    statements.push(`CREATE POLICY ${table}_tenant ON ${table} USING (${mine}) WITH CHECK (${mine})`);
  }
  return statements;
}

const auditLogIsAppendOnly = [
  // SEC-3: a statement-level trigger fires even when no row matches and even for the owner or a
  // superuser, so the refusal does not depend on grants or on RLS.
  `CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END
  $$`,
  `CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
];

/** The initial schema: every table the domain stores, its indexes, RLS and the audit guard. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    // Lower case, no accents, words separated by single spaces. Immutable (a fixed dictionary,
    // bound at creation) so a stored generated column can use it; searches normalise the query
    // with the same function.
    `CREATE FUNCTION app_search_name(name text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      RETURN btrim(regexp_replace(lower(unaccent('unaccent'::regdictionary, name)), '[^[:alnum:]]+', ' ', 'g'))`,
    ...tables,
    ...indexes,
    ...tenantTables.flatMap(([table, column]) => policies(table, column)),
    ...auditLogIsAppendOnly,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
