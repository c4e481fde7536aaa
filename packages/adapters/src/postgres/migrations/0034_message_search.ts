import { type Kysely, sql } from "kysely";

// SRCH-1: the keyed word index of message text. One row per text message: the keyed digests of its
// folded words and their beginnings, never a word as written, with the ids and time a search ranks
// and scopes by. A GIN index finds the rows holding any of a query's digests. A message's row goes
// with its deletion (the one deletion path forgets it); the foreign key takes it along wherever a
// message row itself is removed. The GIN index takes each message's terms into its tree at once
// (no pending list): with a pending list, concurrent sends queue on its one metapage and an
// unlucky send pays for merging everyone's terms, which a sender waits for.

const id = `text COLLATE "C" NOT NULL`;
const mine = `clinic_id = nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  `CREATE TABLE message_search (
    clinic_id ${id},
    message_id ${id},
    conversation_id ${id},
    sent_at timestamptz NOT NULL,
    terms bigint[] NOT NULL,
    PRIMARY KEY (clinic_id, message_id),
    FOREIGN KEY (clinic_id, message_id) REFERENCES messages (clinic_id, id) ON DELETE CASCADE
  )`,
  "CREATE INDEX message_search_terms ON message_search USING gin (terms) WITH (fastupdate = off)",
  "ALTER TABLE message_search ENABLE ROW LEVEL SECURITY",
  "ALTER TABLE message_search FORCE ROW LEVEL SECURITY",
  `CREATE POLICY message_search_tenant ON message_search USING (${mine}) WITH CHECK (${mine})`,
];

/** The keyed word index of message text (SRCH-1). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
