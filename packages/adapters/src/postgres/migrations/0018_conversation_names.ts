import { type Kysely, sql } from "kysely";

// A Team Chat may have a name, given by a participant: trimmed, 1 to 60 characters, never on a
// patient conversation (the domain's conversationNameOf and canRenameConversation decide; these
// checks keep the table to it). The timeline records each rename (who and when; the name itself
// stays on the conversation).

const statements = [
  `ALTER TABLE conversations
    ADD COLUMN name text,
    ADD CONSTRAINT conversations_name_length CHECK (name IS NULL OR (char_length(name) BETWEEN 1 AND 60 AND name = btrim(name))),
    ADD CONSTRAINT conversations_name_of_team CHECK (name IS NULL OR kind = 'team')`,
  "ALTER TABLE conversation_timeline DROP CONSTRAINT conversation_timeline_kind_check",
  `ALTER TABLE conversation_timeline ADD CONSTRAINT conversation_timeline_kind_check CHECK (kind IN ('claimed',
    'assigned', 'unassigned', 'closed', 'reopened', 'participant_added', 'auto_reply', 'renamed'))`,
];

/** Names of group conversations, and renames in the timeline. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
