import { type Kysely, sql } from "kysely";

// FILE-7: an image's renditions are objects of their own under keys derived from the file's
// random key; the file row notes whether they were made and the display rendition's size, so the
// page can lay the image out before it loads. Nothing here holds a name or content.

const statements = [
  "ALTER TABLE files ADD COLUMN preview_state text CHECK (preview_state IN ('ready', 'failed'))",
  "ALTER TABLE files ADD COLUMN preview_width integer CHECK (preview_width > 0)",
  "ALTER TABLE files ADD COLUMN preview_height integer CHECK (preview_height > 0)",
  `CREATE INDEX files_checking_by_uploader ON files (clinic_id, conversation_id, uploader_kind, uploader_id)
    WHERE state = 'checking'`,
];

/** Whether an image's renditions were made, and the display rendition's size. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
