import type { DomainErrorCode } from "@clinic-chat/domain";
import type {
  Broadcast,
  BroadcastAudience,
  BroadcastFile,
  BroadcastRecipient,
} from "@clinic-chat/domain/broadcasts";
import type { Kysely, Selectable } from "kysely";
import type { ClinicSeal } from "../keys/recordKeys";
import { broadcastFileSubject, broadcastSubject, openUnderOwnKeys } from "../keys/subjectKeys";
import type { BroadcastFilesTable, BroadcastRecipientsTable, BroadcastsTable } from "./broadcastTables";
import type { Database } from "./Database";

// Rows of the broadcast tables as the domain's values (BCAST-1).

export function toBroadcast(row: Selectable<BroadcastsTable>): Broadcast {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    authorId: row.author_id,
    clientId: row.client_id,
    content:
      row.content_kind === "text"
        ? { kind: "text", text: row.text ?? "" }
        : { kind: "file", fileId: row.file_id ?? "" },
    audience: audienceOf(row.audience),
    state: row.state,
    sendAt: row.send_at,
    createdAt: row.created_at,
  };
}

/** The audience as stored: the domain's value with its dates as ISO text. */
function audienceOf(stored: Record<string, unknown>): BroadcastAudience {
  switch (stored.kind) {
    case "selection":
      return { kind: "selection", patientIds: stored.patientIds as string[] };
    case "practitioner":
      return { kind: "practitioner", practitionerId: String(stored.practitionerId) };
    case "appointments":
      return { kind: "appointments", from: new Date(String(stored.from)), to: new Date(String(stored.to)) };
    default:
      return { kind: "activePortal" };
  }
}

export function toRecipient(row: Selectable<BroadcastRecipientsTable>): BroadcastRecipient {
  return {
    broadcastId: row.broadcast_id,
    patientId: row.patient_id,
    status: row.status,
    reason: row.reason as DomainErrorCode | null,
    attempts: row.attempts,
    conversationId: row.conversation_id,
    messageId: row.message_id,
  };
}

export function toFile(row: Selectable<BroadcastFilesTable>): BroadcastFile {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    uploaderId: row.uploader_id,
    name: row.name,
    sizeBytes: Number(row.size_bytes),
    contentType: row.content_type,
    storageKey: row.storage_key,
    state: row.state,
    createdAt: row.created_at,
  };
}

/** Broadcasts with their text opened (REC-1); a text whose key is gone reads as empty (REC-2). */
export async function openBroadcastRows(
  db: Kysely<Database>,
  seal: ClinicSeal | null,
  clinicId: string,
  rows: Selectable<BroadcastsTable>[],
): Promise<Broadcast[]> {
  const texts = await openUnderOwnKeys(
    db,
    seal,
    clinicId,
    rows.map((row) => ({ subject: broadcastSubject(row.id), value: row.text ?? "" })),
  );
  return rows.map((row, i) => toBroadcast({ ...row, text: row.text === null ? null : (texts[i] ?? "") }));
}

/** Broadcast files with their names opened (REC-1); a name whose key is gone reads as empty. */
export async function openBroadcastFileRows(
  db: Kysely<Database>,
  seal: ClinicSeal | null,
  clinicId: string,
  rows: Selectable<BroadcastFilesTable>[],
): Promise<BroadcastFile[]> {
  const names = await openUnderOwnKeys(
    db,
    seal,
    clinicId,
    rows.map((row) => ({ subject: broadcastFileSubject(row.id), value: row.name })),
  );
  return rows.map((row, i) => toFile({ ...row, name: names[i] ?? "" }));
}
