import { type Kysely, sql } from "kysely";

// The messages a notification burst is about (NOTIF-1, NOTIF-2, DEL-4) are rows of their own,
// replacing the jsonb list in `notification_states.pending`, so that a message joins its
// recipient's burst with one small insert whatever the burst holds; a deletion or a read deletes
// the rows it names and counts those left; the timer counts them; a burst that ends takes its rows
// with it. Ids only, no PHI.
//
// Frozen in time like every migration: it depends on nothing else in the code base.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    `CREATE TABLE notification_burst_messages (
      clinic_id ${id},
      person_kind text NOT NULL,
      person_id ${id},
      burst_id ${id},
      message_id ${id},
      conversation_id ${id},
      seq integer NOT NULL CHECK (seq > 0),
      PRIMARY KEY (clinic_id, person_kind, person_id, message_id),
      FOREIGN KEY (clinic_id, person_kind, person_id)
        REFERENCES notification_states (clinic_id, person_kind, person_id) ON DELETE CASCADE
    )`,
    // The pending lists of bursts under way move over, so no burst loses what it is about. RLS is
    // forced on the owner too, and one that is not a superuser would move nothing: lifted for the
    // backfill only, within this transaction.
    "ALTER TABLE notification_states NO FORCE ROW LEVEL SECURITY",
    `INSERT INTO notification_burst_messages
       (clinic_id, person_kind, person_id, burst_id, message_id, conversation_id, seq)
     SELECT s.clinic_id, s.person_kind, s.person_id, s.burst_id,
            m ->> 'messageId', m ->> 'conversationId', (m ->> 'seq')::integer
       FROM notification_states s, jsonb_array_elements(s.pending) AS m
      WHERE s.status = 'pending'
     ON CONFLICT DO NOTHING`,
    "ALTER TABLE notification_states FORCE ROW LEVEL SECURITY",
    "ALTER TABLE notification_states DROP COLUMN pending",
    "ALTER TABLE notification_burst_messages ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE notification_burst_messages FORCE ROW LEVEL SECURITY",
    `CREATE POLICY notification_burst_messages_tenant ON notification_burst_messages
       USING (clinic_id = ${requestClinic}) WITH CHECK (clinic_id = ${requestClinic})`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}
