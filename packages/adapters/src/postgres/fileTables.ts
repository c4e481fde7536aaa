import type { Generated } from "kysely";
import type { Int8, PersonKind } from "./Database";

// Files and their refusals, kept beside the others in the one Database interface.

/** File metadata and upload state; the bytes live in object storage under `storage_key`. */
export interface FilesTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  uploader_kind: PersonKind;
  uploader_id: string;
  client_id: string;
  name: string;
  size_bytes: Int8;
  content_type: string;
  storage_key: string;
  state: "pending" | "checking" | "ready";
  created_at: Date;
  /** FILE-7: null until an image's renditions are made; `failed` when it could not be read. */
  preview_state: Generated<"ready" | "failed" | null>;
  preview_width: Generated<number | null>;
  preview_height: Generated<number | null>;
}

/** Why a file was refused after its upload, for its sender (FILE-6): ids and a reason only. */
export interface FileRefusalsTable {
  clinic_id: string;
  file_id: string;
  conversation_id: string;
  uploader_kind: PersonKind;
  uploader_id: string;
  reason: string;
  refused_at: Date;
}
