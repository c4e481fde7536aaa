import { type Kysely, sql } from "kysely";

// TPL-1: reply templates, the clinic's (no owner) and each staff member's own. A template names
// no one; placeholders are filled in for a conversation when it is inserted, never stored filled.
// SCHED-1: messages staff schedule for later. Each is posted at its time through the posting
// pipeline with its client id, so a second attempt finds the message the first posted; the row
// keeps what became of it (sent, cancelled, refused with the reason) for its author.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `CREATE TABLE message_templates (
    clinic_id ${id},
    id ${id},
    scope text NOT NULL CHECK (scope IN ('clinic', 'personal')),
    owner_id text COLLATE "C",
    name text NOT NULL,
    text text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, id),
    FOREIGN KEY (clinic_id, owner_id) REFERENCES staff (clinic_id, id),
    CHECK ((scope = 'clinic') = (owner_id IS NULL))
  )`,
  `CREATE INDEX message_templates_by_owner ON message_templates (clinic_id, owner_id)`,
  `CREATE TABLE scheduled_messages (
    clinic_id ${id},
    id ${id},
    conversation_id ${id},
    author_id ${id},
    client_id ${id},
    text text NOT NULL,
    send_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'sent', 'cancelled', 'refused')),
    message_id text COLLATE "C",
    refusal text,
    author_emailed boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, id),
    UNIQUE (clinic_id, author_id, client_id),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id),
    FOREIGN KEY (clinic_id, author_id) REFERENCES staff (clinic_id, id),
    FOREIGN KEY (clinic_id, message_id) REFERENCES messages (clinic_id, id),
    CHECK ((status = 'sent') = (message_id IS NOT NULL)),
    CHECK ((status = 'refused') = (refusal IS NOT NULL))
  )`,
  `CREATE INDEX scheduled_messages_by_conversation ON scheduled_messages (clinic_id, conversation_id, send_at)
    WHERE status IN ('pending', 'refused')`,
];

function tenantPolicies(table: string): string[] {
  const mine = `clinic_id = ${requestClinic}`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant ON ${table} USING (${mine}) WITH CHECK (${mine})`,
  ];
}

/** Reply templates and scheduled messages, each behind its clinic's row-level security (SEC-4). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of [
    ...statements,
    ...tenantPolicies("message_templates"),
    ...tenantPolicies("scheduled_messages"),
  ]) {
    await sql.raw(statement).execute(db);
  }
}
