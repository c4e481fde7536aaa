import type { FilePreview, FileRefusal, FileStore, StoredFile } from "@clinic-chat/domain/files";
import type { Selectable } from "kysely";
import type { ClinicSeal, RecordKeys } from "../keys/recordKeys";
import { isSealedText } from "../keys/sealing";
import type { FilesTable } from "./Database";
import { sealOf } from "./messageStore";
import { personOf } from "./people";
import type { Statements } from "./Statements";
import { releaseReference, removeFiles } from "./sharedObjects";

/** What a file's key and sealed name are bound to. */
export function fileSubject(fileId: string): string {
  return `file/${fileId}`;
}

export type KeyedFileRow = Selectable<FilesTable> & { data_key: Uint8Array | null };

/**
 * A file's name: sealed under the file's own data key (REC-1); a sealed name whose key is gone
 * (a copy restored from before the file's deletion) reads as empty, since the file is gone too.
 */
export function nameOf(row: Pick<KeyedFileRow, "id" | "name" | "data_key">, seal: ClinicSeal | null): string {
  if (!isSealedText(row.name)) return row.name;
  if (!row.data_key) return "";
  if (!seal) throw new Error(`file ${row.id} is sealed and no record keys are configured`);
  const subject = fileSubject(row.id);
  return seal.openText(seal.dataKey(subject, row.data_key), subject, row.name);
}

function toFile(row: KeyedFileRow, seal: ClinicSeal | null): StoredFile {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    conversationId: row.conversation_id,
    uploader: personOf(row.uploader_kind, row.uploader_id),
    clientId: row.client_id,
    name: nameOf(row, seal),
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

/**
 * File records of the unit of work's clinic; removal deletes the row, name and all (DEL-2). With
 * record keys, the name is sealed under the file's own data key, deleted with the file (REC-2).
 */
export function postgresFileStore(statements: Statements, clinicId: string, keys?: RecordKeys): FileStore {
  const { db } = statements;
  const files = () =>
    db
      .selectFrom("files as f")
      .selectAll("f")
      .select((eb) =>
        eb
          .selectFrom("file_keys as k")
          .select("k.wrapped")
          .whereRef("k.clinic_id", "=", "f.clinic_id")
          .whereRef("k.file_id", "=", "f.id")
          .as("data_key"),
      )
      .where("f.clinic_id", "=", clinicId);
  const read = async (query: ReturnType<typeof files>) => {
    const [rows, seal] = await Promise.all([query.execute(), sealOf(keys, clinicId, db)]);
    return rows.map((row) => toFile(row, seal));
  };
  return {
    async get(fileId) {
      const [file] = await read(files().where("f.id", "=", fileId));
      return file ?? null;
    },
    async create(file) {
      const seal = await sealOf(keys, clinicId, db);
      let name = file.name;
      if (seal) {
        const subject = fileSubject(file.id);
        const dataKey = seal.newDataKey(subject);
        name = seal.sealText(dataKey.key, subject, file.name);
        await db
          .insertInto("file_keys")
          .values({ clinic_id: clinicId, file_id: file.id, wrapped: dataKey.wrapped })
          .execute();
      }
      await db
        .insertInto("files")
        .values({
          clinic_id: file.clinicId,
          id: file.id,
          conversation_id: file.conversationId,
          uploader_kind: file.uploader.kind,
          uploader_id: file.uploader.id,
          client_id: file.clientId,
          name,
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
      return read(
        files()
          .where("f.conversation_id", "=", conversationId)
          .where("f.state", "=", "checking")
          .where("f.uploader_kind", "=", uploader.kind)
          .where("f.uploader_id", "=", uploader.id)
          .orderBy("f.created_at")
          .orderBy("f.id"),
      );
    },
    async remove(fileId) {
      const file = await db
        .selectFrom("files")
        .select("storage_key")
        .where("clinic_id", "=", clinicId)
        .where("id", "=", fileId)
        .executeTakeFirst();
      const drop = async () => {
        await db.deleteFrom("files").where("clinic_id", "=", clinicId).where("id", "=", fileId).execute();
        await db
          .deleteFrom("file_keys")
          .where("clinic_id", "=", clinicId)
          .where("file_id", "=", fileId)
          .execute();
      };
      if (!file) {
        await drop();
        return true;
      }
      return releaseReference(statements, clinicId, file.storage_key, drop);
    },
    removeAll(fileIds) {
      return removeFiles(statements, clinicId, fileIds);
    },
    async stalePending(before, limit) {
      if (limit <= 0) return [];
      return read(
        files()
          .where("f.state", "=", "pending")
          .where("f.created_at", "<", before)
          .orderBy("f.created_at")
          .orderBy("f.id")
          .limit(limit),
      );
    },
  };
}
