import { type Kysely, sql } from "kysely";

// INBOX-1: each staff member's views and their counts are read from that member's own rows. A
// membership carries a copy of its conversation's inbox state: its status while the conversation
// is a patient conversation someone wrote in (START-3), null otherwise, its assignee and who wrote
// last. A view's page then walks one index in the member's activity order without visiting the
// conversations, and the five counts are an index-only pass over the member's entries, so neither
// joins the conversations the member takes part in.
//
// Triggers keep the copy, so that every writer of a conversation's state or of a membership keeps
// it in the same transaction, whichever path it takes: a change of the state, or a conversation's
// first message, rewrites its memberships; a new membership takes the state of its conversation,
// read under the same row lock a post or an inbox change takes, so a concurrent change waits for
// the newcomer or the newcomer for the change, and neither misses the other.

const statements = [
  `ALTER TABLE conversation_participants
    ADD COLUMN inbox_status text CHECK (inbox_status IN ('open', 'closed')),
    ADD COLUMN inbox_assignee_id text COLLATE "C",
    ADD COLUMN inbox_last_sender_kind text CHECK (inbox_last_sender_kind IN ('staff', 'patient'))`,
  `CREATE FUNCTION app_inbox_to_memberships() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
      UPDATE public.conversation_participants
         SET inbox_status = CASE WHEN NEW.last_seq > 0 THEN NEW.inbox_status END,
             inbox_assignee_id = NEW.assignee_id,
             inbox_last_sender_kind = NEW.last_sender_kind
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
  `CREATE FUNCTION app_inbox_of_new_membership() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
      SELECT CASE WHEN c.kind = 'patient' AND c.last_seq > 0 THEN c.inbox_status END,
             c.assignee_id, c.last_sender_kind
        INTO NEW.inbox_status, NEW.inbox_assignee_id, NEW.inbox_last_sender_kind
        FROM public.conversations c
       WHERE c.clinic_id = NEW.clinic_id AND c.id = NEW.conversation_id
         FOR NO KEY UPDATE;
      RETURN NEW;
    END
    $$`,
  "REVOKE ALL ON FUNCTION app_inbox_of_new_membership() FROM PUBLIC",
  `CREATE TRIGGER conversation_participants_inbox BEFORE INSERT ON conversation_participants
    FOR EACH ROW EXECUTE FUNCTION app_inbox_of_new_membership()`,
  // RLS is forced on the owner too: lifted for the backfill only, within this transaction.
  "ALTER TABLE conversations NO FORCE ROW LEVEL SECURITY",
  "ALTER TABLE conversation_participants NO FORCE ROW LEVEL SECURITY",
  `UPDATE conversation_participants p
      SET inbox_status = c.inbox_status, inbox_assignee_id = c.assignee_id,
          inbox_last_sender_kind = c.last_sender_kind
     FROM conversations c
    WHERE c.clinic_id = p.clinic_id AND c.id = p.conversation_id AND c.kind = 'patient' AND c.last_seq > 0`,
  "ALTER TABLE conversation_participants FORCE ROW LEVEL SECURITY",
  "ALTER TABLE conversations FORCE ROW LEVEL SECURITY",
  // "Mine" walks the member's own entries too: the assignee's index has no reader left.
  "DROP INDEX conversations_by_assignee",
  // A staff member's inbox in their activity order, with what the views and counts ask of each entry.
  `CREATE INDEX participants_inbox ON conversation_participants
    (clinic_id, person_id, last_activity_at DESC, conversation_id DESC)
    INCLUDE (inbox_status, inbox_assignee_id, inbox_last_sender_kind)
    WHERE person_kind = 'staff' AND inbox_status IS NOT NULL AND NOT quiet`,
];

/** The inbox state copied onto the memberships of patient conversations, and their index. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
