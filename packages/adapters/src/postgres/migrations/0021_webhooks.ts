import { type Kysely, sql } from "kysely";

// INTEG-4: the clinic's webhook endpoints and the outbox of events waiting for them. An event row
// holds ids, a count, a type and times, never content, so nothing of a message can leave through
// it. `position` orders one endpoint's events of a conversation; `held_until` keeps a delivery
// on its way from being sent again, or overtaken, by another worker. `clinics.webhooks_active`
// rides along with the clinic every post reads already, so a clinic without an enabled endpoint
// records nothing.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;
const mine = `clinic_id = ${requestClinic}`;

const statements = [
  "ALTER TABLE clinics ADD COLUMN webhooks_active boolean NOT NULL DEFAULT false",
  `CREATE TABLE webhook_endpoints (
    clinic_id ${id} REFERENCES clinics (id),
    id ${id},
    url text NOT NULL CHECK (url LIKE 'https://%' AND length(url) <= 2000),
    secret text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, id)
  )`,
  `CREATE TABLE webhook_events (
    clinic_id ${id},
    endpoint_id ${id},
    position bigint GENERATED ALWAYS AS IDENTITY,
    id ${id},
    conversation_id ${id},
    type text NOT NULL CHECK (type IN ('unread_count.changed', 'conversation.started',
      'conversation.closed', 'conversation.assigned')),
    person_kind text CHECK (person_kind IN ('staff', 'patient')),
    person_id text COLLATE "C",
    unread_count integer,
    assignee_id text COLLATE "C",
    occurred_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_status_code integer,
    last_attempt_at timestamptz,
    next_attempt_at timestamptz NOT NULL,
    held_until timestamptz,
    PRIMARY KEY (clinic_id, endpoint_id, position),
    UNIQUE (clinic_id, id),
    FOREIGN KEY (clinic_id, endpoint_id) REFERENCES webhook_endpoints (clinic_id, id) ON DELETE CASCADE,
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id)
  )`,
  // The worker's question: each endpoint's oldest waiting event of a conversation.
  `CREATE INDEX webhook_events_waiting ON webhook_events (clinic_id, conversation_id, endpoint_id, position)
    WHERE status = 'pending'`,
  "ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY",
  `CREATE POLICY webhook_endpoints_tenant ON webhook_endpoints USING (${mine}) WITH CHECK (${mine})`,
  "ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE webhook_events FORCE ROW LEVEL SECURITY",
  `CREATE POLICY webhook_events_tenant ON webhook_events USING (${mine}) WITH CHECK (${mine})`,
];

/** Webhook endpoints and their outbox (INTEG-4). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
