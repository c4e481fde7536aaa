import type { ColumnType } from "kysely";
import type { Int8 } from "./Database";

/** BCAST-1: one broadcast; its audience is the domain's, kept as a document (dates as ISO text). */
export interface BroadcastsTable {
  clinic_id: string;
  id: string;
  author_id: string;
  client_id: string;
  content_kind: "text" | "file";
  text: string | null;
  file_id: string | null;
  audience: ColumnType<Record<string, unknown>, string, string>;
  state: "scheduled" | "sending" | "done" | "cancelled";
  send_at: Date;
  created_at: Date;
}

/** What became of one recipient of a broadcast. */
export interface BroadcastRecipientsTable {
  clinic_id: string;
  broadcast_id: string;
  patient_id: string;
  status: "waiting" | "sent" | "skipped" | "failed" | "cancelled";
  reason: string | null;
  attempts: number;
  conversation_id: string | null;
  message_id: string | null;
}

/** A broadcast's file, uploaded once; the copies in `files` share its stored object. */
export interface BroadcastFilesTable {
  clinic_id: string;
  id: string;
  uploader_id: string;
  name: string;
  size_bytes: Int8;
  content_type: string;
  storage_key: string;
  state: "pending" | "ready";
  created_at: Date;
}
