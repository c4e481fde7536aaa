import type { FilePreview, FileRefusal, FileStore, StoredFile } from "@clinic-chat/domain/files";
import type { Selectable } from "kysely";
import type { FilesTable } from "./Database";
import { personOf } from "./people";
import type { Statements } from "./Statements";
import { releaseReference } from "./sharedObjects";

function toFile(row: Selectable<FilesTable>): StoredFile {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    conversationId: row.conversation_id,
    uploader: personOf(row.uploader_kind, row.uploader_id),
    clientId: row.client_id,
    name: row.name,
    sizeBytes: Number(row.size_bytes),
    contentType: row.content_type,
    storageKey: row.storage_key,
    state: row.state,
    createdAt: row.created_at,
    ...previewOf(row),
  };
}

function previewOf(row: Selectable<FilesTable>): { preview?: FilePreview } {
  if (row.preview_state === "failed") return { preview: { state: "failed" } };
  if (row.preview_state === "ready")
    return { preview: { state: "ready", width: row.preview_width ?? 0, height: row.preview_height ?? 0 } };
  return {};
}

/** File records of the unit of work's clinic; removal deletes the row, name and all (DEL-2). */
export function postgresFileStore(statements: Statements, clinicId: string): FileStore {
  const { db } = statements;
  const files = () => db.selectFrom("files").selectAll().where("clinic_id", "=", clinicId);
  return {
    async get(fileId) {
      const row = await files().where("id", "=", fileId).executeTakeFirst();
      return row ? toFile(row) : null;
    },
    async create(file) {
      await db
        .insertInto("files")
        .values({
          clinic_id: file.clinicId,
          id: file.id,
          conversation_id: file.conversationId,
          uploader_kind: file.uploader.kind,
          uploader_id: file.uploader.id,
          client_id: file.clientId,
          name: file.name,
          size_bytes: file.sizeBytes,
          content_type: file.contentType,
          storage_key: file.storageKey,
          state: file.state,
          created_at: file.createdAt,
        })
        .execute();
    },
    async markReady(fileId, checked) {
      // A write: it goes with the file's message, and nothing reads its answer.
      const update = db
        .updateTable("files")
        .set({ state: "ready", size_bytes: checked.sizeBytes, content_type: checked.contentType })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", fileId)
        .compile();
      await statements.write(update.sql, update.parameters);
    },
    async markChecking(fileId, checked) {
      await db
        .updateTable("files")
        .set({ state: "checking", size_bytes: checked.sizeBytes, content_type: checked.contentType })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", fileId)
        .execute();
    },
    async recordRefusal(refusal) {
      await db
        .insertInto("file_refusals")
        .values({
          clinic_id: clinicId,
          file_id: refusal.fileId,
          conversation_id: refusal.conversationId,
          uploader_kind: refusal.uploader.kind,
          uploader_id: refusal.uploader.id,
          reason: refusal.reason,
          refused_at: refusal.refusedAt,
        })
        .onConflict((conflict) => conflict.columns(["clinic_id", "file_id"]).doNothing())
        .execute();
    },
    async refusalOf(fileId, uploader) {
      const row = await db
        .selectFrom("file_refusals")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("file_id", "=", fileId)
        .where("uploader_kind", "=", uploader.kind)
        .where("uploader_id", "=", uploader.id)
        .executeTakeFirst();
      if (!row) return null;
      return {
        fileId: row.file_id,
        conversationId: row.conversation_id,
        uploader: personOf(row.uploader_kind, row.uploader_id),
        reason: row.reason as FileRefusal["reason"],
        refusedAt: row.refused_at,
      };
    },
    async forgetRefusals(before) {
      await db
        .deleteFrom("file_refusals")
        .where("clinic_id", "=", clinicId)
        .where("refused_at", "<", before)
        .execute();
    },
    async notePreview(fileId, preview) {
      await db
        .updateTable("files")
        .set({
          preview_state: preview.state,
          preview_width: preview.state === "ready" ? preview.width : null,
          preview_height: preview.state === "ready" ? preview.height : null,
        })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", fileId)
        .execute();
    },
    async checkingOf(conversationId, uploader) {
      const rows = await files()
        .where("conversation_id", "=", conversationId)
        .where("state", "=", "checking")
        .where("uploader_kind", "=", uploader.kind)
        .where("uploader_id", "=", uploader.id)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toFile);
    },
    async remove(fileId) {
      const file = await files().select("storage_key").where("id", "=", fileId).executeTakeFirst();
      const drop = () =>
        db.deleteFrom("files").where("clinic_id", "=", clinicId).where("id", "=", fileId).execute();
      if (!file) {
        await drop();
        return true;
      }
      return releaseReference(statements, clinicId, file.storage_key, drop);
    },
    async stalePending(before, limit) {
      if (limit <= 0) return [];
      const rows = await files()
        .where("state", "=", "pending")
        .where("created_at", "<", before)
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toFile);
    },
  };
}
