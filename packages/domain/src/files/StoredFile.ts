import type { PersonRef } from "../people/people";
import type { FilePreview } from "./previews";

/** FILE-1 limits: 25 MB and the allowed types, by the MIME type detected from the bytes. */
export const fileRules = {
  maxBytes: 25 * 1024 * 1024,
  allowedTypes: {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "text/plain": "plain text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
  } as Readonly<Record<string, string>>,
  /** FILE-5: a DOCX or XLSX may inflate to at most this many bytes … */
  maxInflatedBytes: 100 * 1024 * 1024,
  /** … and to at most this many times its own size. */
  maxInflateRatio: 100,
  /** How long a presigned upload URL lives. */
  uploadUrlSeconds: 300,
  /** How long a presigned download URL lives (FILE-3: at most 5 minutes). */
  downloadUrlSeconds: 300,
  /** Uploads not confirmed within this time are removed by the cleanup (FILE-2). */
  unconfirmedUploadTtlSeconds: 3600,
} as const;

/**
 * A file shared in a conversation. `pending` until its upload is confirmed and its bytes checked
 * (FILE-2); `checking` while it waits for its malware scan, seen by its sender only (FILE-6); only
 * a `ready` file is attached to a message. The name is shown as uploaded but never
 * used as the storage key (FILE-4).
 */
export interface StoredFile {
  readonly id: string;
  readonly clinicId: string;
  readonly conversationId: string;
  readonly uploader: PersonRef;
  /** The sender's client id for the message this file becomes (MSG-1). */
  readonly clientId: string;
  readonly name: string;
  /** Size declared before the upload; the checked size replaces it on confirmation. */
  readonly sizeBytes: number;
  /** Declared type before the upload; the type detected from the bytes replaces it on confirmation. */
  readonly contentType: string;
  /** Random object key in storage, free of PHI. */
  readonly storageKey: string;
  readonly state: "pending" | "checking" | "ready";
  readonly createdAt: Date;
  /** An image's renditions once made (FILE-7); absent until then and for other types. */
  readonly preview?: FilePreview;
}
