import { type Kysely, sql } from "kysely";

// FILE-2 for broadcasts (BCAST-1): a file uploaded for a broadcast and never confirmed is removed by
// the same periodic cleanup as a conversation's upload. The cleanup lists the clinics that have
// some as the owning role, under forced RLS (OPS-3), as 0023 lets it for `files`: this policy lets
// the owner read broadcast files; it reads only, and never applies to the application role. The
// index finds the stale ones of a clinic by age.
//
// A quiet membership (BCAST-1): the author of a broadcast takes part in every recipient's
// conversation, to send the copy and to hear the replies, without the conversation showing in
// their list or inbox until someone else writes in it or they open it themselves.

const statements = [
  "CREATE POLICY broadcast_files_owner_cleanup ON broadcast_files FOR SELECT TO CURRENT_USER USING (true)",
  "CREATE INDEX broadcast_files_pending_by_age ON broadcast_files (clinic_id, created_at) WHERE state = 'pending'",
  "ALTER TABLE conversation_participants ADD COLUMN quiet boolean NOT NULL DEFAULT false",
];

/** Lets the owning role list stale broadcast uploads under forced RLS; quiet memberships. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
