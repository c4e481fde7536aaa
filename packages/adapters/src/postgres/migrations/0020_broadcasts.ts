import { type Kysely, sql } from "kysely";

// BCAST-1: a broadcast, each of its recipients with what became of them, and its file, uploaded
// once. Every recipient's copy of the file is a record of its own in `files` sharing the one
// stored object, so a storage key is no longer unique to one record: deleting a copy removes its
// record, and the object goes with the last record (DEL-2). The audit trail names the broadcast an
// action belongs to.

const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;
const id = `text COLLATE "C" NOT NULL`;
const optionalId = `text COLLATE "C"`;

const tenantTables = ["broadcast_files", "broadcasts", "broadcast_recipients"];

const statements = [
  "ALTER TABLE files DROP CONSTRAINT files_clinic_id_storage_key_key",
  "CREATE INDEX files_by_storage_key ON files (clinic_id, storage_key)",
  `ALTER TABLE audit_log ADD COLUMN broadcast_id ${optionalId}`,
  `CREATE TABLE broadcast_files (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    uploader_id ${id},
    name text NOT NULL,
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    content_type text NOT NULL,
    storage_key ${id},
    state text NOT NULL CHECK (state IN ('pending', 'ready')),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, id),
    FOREIGN KEY (clinic_id, uploader_id) REFERENCES staff (clinic_id, id)
  )`,
  "CREATE INDEX broadcast_files_by_storage_key ON broadcast_files (clinic_id, storage_key)",
  `CREATE TABLE broadcasts (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    author_id ${id},
    client_id ${id},
    content_kind text NOT NULL CHECK (content_kind IN ('text', 'file')),
    text text,
    file_id ${optionalId},
    audience jsonb NOT NULL CHECK (jsonb_typeof(audience) = 'object'),
    state text NOT NULL CHECK (state IN ('scheduled', 'sending', 'done', 'cancelled')),
    send_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, id),
    UNIQUE (clinic_id, author_id, client_id),
    FOREIGN KEY (clinic_id, author_id) REFERENCES staff (clinic_id, id),
    CHECK ((content_kind = 'text') = (text IS NOT NULL AND file_id IS NULL))
  )`,
  "CREATE INDEX broadcasts_latest ON broadcasts (clinic_id, created_at DESC, id DESC)",
  `CREATE TABLE broadcast_recipients (
    clinic_id ${id},
    broadcast_id ${id},
    patient_id ${id},
    status text NOT NULL CHECK (status IN ('waiting', 'sent', 'skipped', 'failed', 'cancelled')),
    reason text CHECK (reason ~ '^[A-Z_]{1,64}$'),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    conversation_id ${optionalId},
    message_id ${optionalId},
    PRIMARY KEY (clinic_id, broadcast_id, patient_id),
    FOREIGN KEY (clinic_id, broadcast_id) REFERENCES broadcasts (clinic_id, id),
    FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id)
  )`,
  "CREATE INDEX broadcast_recipients_by_status ON broadcast_recipients (clinic_id, broadcast_id, status, patient_id)",
  ...tenantTables.flatMap((table) => [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant ON ${table} USING (${mine}) WITH CHECK (${mine})`,
  ]),
];

/** Broadcasts, their recipients and files; file records that share a stored object. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
