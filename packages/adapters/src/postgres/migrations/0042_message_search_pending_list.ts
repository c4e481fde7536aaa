import { type Kysely, sql } from "kysely";

// SRCH-1: the word index takes new terms into a short pending list, merged into its tree in bulk.
// Taken one message at a time, every term rewrites its word's whole posting list, a common word's
// most of all; merged in bulk, a word's list is rewritten once for all the messages since the
// last merge. The list stays at its smallest (64 kB, about fifty messages' terms), so the send
// that fills it merges little, and a search reads at most those few pages besides the tree.

/** The word index with a small pending list (SRCH-1). */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER INDEX message_search_terms SET (fastupdate = on, gin_pending_list_limit = 64)`.execute(db);
}
