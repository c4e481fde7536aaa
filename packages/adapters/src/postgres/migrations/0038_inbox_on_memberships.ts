import { type Kysely, sql } from "kysely";

// INBOX-1: each staff member's views and their counts are read from that member's own rows. A
// membership carries a copy of its conversation's inbox state: its status while the conversation
// is a patient conversation someone wrote in (START-3), null otherwise, its assignee and who wrote
// last. A view's page then walks one index in the member's activity order, and the five counts are
// one index-only pass over the member's entries, neither joining the conversations.
//
// A trigger keeps the copy: a change of a conversation's state, or its first message, rewrites
// its memberships in the same transaction, under the conversation's row lock that every post and
// inbox change holds. A new membership starts "stale" instead, and its readers take the state
// from the conversation until the next change rewrites it: a membership inserted while a
// change is in flight is invisible to that change's trigger, and copying the state on insert
// would mean waiting for the conversation's lock, which opening conversations for a broadcast
// never does (BCAST-1).

const statements = [
  `ALTER TABLE conversation_participants
    ADD COLUMN inbox_status text CHECK (inbox_status IN ('open', 'closed')),
    ADD COLUMN inbox_assignee_id text COLLATE "C",
    ADD COLUMN inbox_last_sender_kind text CHECK (inbox_last_sender_kind IN ('staff', 'patient')),
    ADD COLUMN inbox_stale boolean NOT NULL DEFAULT true`,
  `CREATE FUNCTION app_inbox_to_memberships() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
      UPDATE public.conversation_participants
         SET inbox_status = CASE WHEN NEW.last_seq > 0 THEN NEW.inbox_status END,
             inbox_assignee_id = NEW.assignee_id,
             inbox_last_sender_kind = NEW.last_sender_kind,
             inbox_stale = false
       WHERE clinic_id = NEW.clinic_id AND conversation_id = NEW.id;
      RETURN NULL;
    END
    $$`,
  "REVOKE ALL ON FUNCTION app_inbox_to_memberships() FROM PUBLIC",
  `CREATE TRIGGER conversations_inbox_to_memberships AFTER UPDATE OF inbox_status, assignee_id, last_sender_kind, last_seq
    ON conversations FOR EACH ROW
    WHEN (NEW.kind = 'patient' AND (OLD.inbox_status, OLD.assignee_id, OLD.last_sender_kind, OLD.last_seq > 0)
      IS DISTINCT FROM (NEW.inbox_status, NEW.assignee_id, NEW.last_sender_kind, NEW.last_seq > 0))
    EXECUTE FUNCTION app_inbox_to_memberships()`,
  // RLS is forced on the owner too: lifted for the backfill only, within this transaction.
  "ALTER TABLE conversations NO FORCE ROW LEVEL SECURITY",
  "ALTER TABLE conversation_participants NO FORCE ROW LEVEL SECURITY",
  `UPDATE conversation_participants p
      SET inbox_status = CASE WHEN c.kind = 'patient' AND c.last_seq > 0 THEN c.inbox_status END,
          inbox_assignee_id = c.assignee_id, inbox_last_sender_kind = c.last_sender_kind, inbox_stale = false
     FROM conversations c
    WHERE c.clinic_id = p.clinic_id AND c.id = p.conversation_id`,
  "ALTER TABLE conversation_participants FORCE ROW LEVEL SECURITY",
  "ALTER TABLE conversations FORCE ROW LEVEL SECURITY",
  // "Mine" walks the member's own entries too: the assignee's index has no reader left.
  "DROP INDEX conversations_by_assignee",
  // A staff member's inbox in their activity order, with what the views and counts ask of each entry.
  `CREATE INDEX participants_inbox ON conversation_participants
    (clinic_id, person_id, last_activity_at DESC, conversation_id DESC)
    INCLUDE (inbox_status, inbox_assignee_id, inbox_last_sender_kind, inbox_stale)
    WHERE person_kind = 'staff' AND NOT quiet AND (inbox_status IS NOT NULL OR inbox_stale)`,
];

/** The inbox state copied onto the memberships of patient conversations, and their index. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
