import { type Kysely, sql } from "kysely";

// INBOX-1 … INBOX-3: the clinic's inbox. A patient conversation is open or closed and may have an
// assignee (a staff member of the clinic; the domain keeps them an active staff participant); it
// remembers who wrote last, for "Awaiting reply", and when its last automatic reply went out
// (HOURS-3). These live on the conversation's row, which every post reads and locks already.
// A participant may mark a conversation unread for themselves. The timeline keeps who claimed,
// assigned, closed, reopened or added whom, and the automatic replies: ids and times only.
// Conversations from before start open and unassigned; who wrote last is taken from their last
// message.

const id = `text COLLATE "C" NOT NULL`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `ALTER TABLE conversations
    ADD COLUMN inbox_status text NOT NULL DEFAULT 'open' CHECK (inbox_status IN ('open', 'closed')),
    ADD COLUMN assignee_id text COLLATE "C",
    ADD COLUMN last_sender_kind text CHECK (last_sender_kind IN ('staff', 'patient')),
    ADD COLUMN last_auto_reply_at timestamptz,
    ADD CONSTRAINT conversations_assignee FOREIGN KEY (clinic_id, assignee_id) REFERENCES staff (clinic_id, id),
    ADD CONSTRAINT conversations_inbox_of_patients CHECK (kind = 'patient' OR (assignee_id IS NULL AND inbox_status = 'open'))`,
  `ALTER TABLE conversation_participants ADD COLUMN marked_unread boolean NOT NULL DEFAULT false`,
  // INBOX-1: "Mine" read in order from its own index; the other views walk the staff member's
  // memberships in order (participants_by_person).
  `CREATE INDEX conversations_by_assignee ON conversations (clinic_id, assignee_id, last_activity_at DESC, id DESC)
    WHERE inbox_status = 'open' AND assignee_id IS NOT NULL`,
  `CREATE TABLE conversation_timeline (
    clinic_id ${id},
    id ${id},
    conversation_id ${id},
    kind text NOT NULL CHECK (kind IN ('claimed', 'assigned', 'unassigned', 'closed', 'reopened',
      'participant_added', 'auto_reply')),
    actor_kind text CHECK (actor_kind IN ('staff', 'patient')),
    actor_id text COLLATE "C",
    subject_staff_id text COLLATE "C",
    after_seq integer NOT NULL CHECK (after_seq >= 0),
    at timestamptz NOT NULL,
    next_opening_at timestamptz,
    PRIMARY KEY (clinic_id, id),
    FOREIGN KEY (clinic_id, conversation_id) REFERENCES conversations (clinic_id, id),
    CHECK ((actor_kind IS NULL) = (actor_id IS NULL))
  )`,
  `CREATE INDEX timeline_by_conversation ON conversation_timeline (clinic_id, conversation_id, at, id)`,
  "ALTER TABLE conversation_timeline ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE conversation_timeline FORCE ROW LEVEL SECURITY",
  // Append-only like the event log: read and insert, never update or delete.
  `CREATE POLICY conversation_timeline_read ON conversation_timeline FOR SELECT USING (clinic_id = ${requestClinic})`,
  `CREATE POLICY conversation_timeline_append ON conversation_timeline FOR INSERT WITH CHECK (clinic_id = ${requestClinic})`,
  // RLS is forced on the owner too: lifted for the backfill only, within this transaction.
  "ALTER TABLE conversations NO FORCE ROW LEVEL SECURITY",
  "ALTER TABLE messages NO FORCE ROW LEVEL SECURITY",
  `UPDATE conversations c SET last_sender_kind = m.sender_kind
     FROM messages m
    WHERE c.kind = 'patient' AND c.last_seq > 0
      AND m.clinic_id = c.clinic_id AND m.conversation_id = c.id AND m.seq = c.last_seq`,
  "ALTER TABLE messages FORCE ROW LEVEL SECURITY",
  "ALTER TABLE conversations FORCE ROW LEVEL SECURITY",
];

/** The inbox state of patient conversations, "marked unread", and the timeline. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
