import { type Kysely, sql } from "kysely";

// SRCH-1: a clinic's index rows in time order, newest first, with their conversation, so a search
// for a word many messages hold walks the searcher's newest messages instead of sorting every
// message holding it (see searchQueries.ts).

/** The search index in time order (SRCH-1). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX message_search_recent ON message_search (clinic_id, sent_at DESC, message_id DESC)
    INCLUDE (conversation_id)`.execute(db);
}
