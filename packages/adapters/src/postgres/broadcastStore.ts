import type { BroadcastRecipient, BroadcastStore } from "@clinic-chat/domain/broadcasts";
import { noProgress } from "@clinic-chat/domain/broadcasts";
import { type Selectable, sql } from "kysely";
import type { RecordKeys } from "../keys/recordKeys";
import { broadcastFileSubject, broadcastSubject, sealUnderOwnKey, shredKeys } from "../keys/subjectKeys";
import { columnsOf } from "./arrayParameters";
import { openBroadcastFileRows, openBroadcastRows, toRecipient } from "./broadcastRows";
import type { BroadcastFilesTable, BroadcastsTable } from "./broadcastTables";
import { toPatient } from "./directory";
import { sealOf } from "./messageStore";
import type { Statements } from "./Statements";
import { releaseReference } from "./sharedObjects";

const recipientColumns = `clinic_id, broadcast_id, patient_id, status, reason, attempts, conversation_id, message_id`;

function recipientRow(clinicId: string, r: BroadcastRecipient): unknown[] {
  return [
    clinicId,
    r.broadcastId,
    r.patientId,
    r.status,
    r.reason,
    r.attempts,
    r.conversationId,
    r.messageId,
  ];
}

/** Rows per statement when a broadcast's recipients are written. */
const rowsPerStatement = 5000;

/**
 * The broadcasts of the unit of work's clinic (BCAST-1). With record keys, a broadcast's text and a
 * broadcast file's name are sealed under data keys of their own (REC-1), destroyed when the
 * broadcast is cancelled or the file removed (REC-2).
 */
export function postgresBroadcastStore(
  statements: Statements,
  clinicId: string,
  keys?: RecordKeys,
): BroadcastStore {
  const { db } = statements;
  const broadcasts = () => db.selectFrom("broadcasts").selectAll().where("clinic_id", "=", clinicId);
  const patients = () => db.selectFrom("patients").selectAll().where("clinic_id", "=", clinicId);
  const seal = () => sealOf(keys, clinicId, db);
  const openBroadcasts = async (rows: Selectable<BroadcastsTable>[]) =>
    openBroadcastRows(db, await seal(), clinicId, rows);
  const openFiles = async (rows: Selectable<BroadcastFilesTable>[]) =>
    openBroadcastFileRows(db, await seal(), clinicId, rows);
  return {
    async create(broadcast, recipients) {
      await db
        .insertInto("broadcasts")
        .values({
          clinic_id: clinicId,
          id: broadcast.id,
          author_id: broadcast.authorId,
          client_id: broadcast.clientId,
          content_kind: broadcast.content.kind,
          text:
            broadcast.content.kind === "text"
              ? await sealUnderOwnKey(
                  db,
                  await seal(),
                  clinicId,
                  broadcastSubject(broadcast.id),
                  broadcast.content.text,
                )
              : null,
          file_id: broadcast.content.kind === "file" ? broadcast.content.fileId : null,
          // As text cast to jsonb: the driver would send a string parameter as a JSON string.
          audience: sql<string>`cast(${JSON.stringify(broadcast.audience)}::text as jsonb)`,
          state: broadcast.state,
          send_at: broadcast.sendAt,
          created_at: broadcast.createdAt,
        })
        .execute();
      for (let i = 0; i < recipients.length; i += rowsPerStatement) {
        const rows = recipients.slice(i, i + rowsPerStatement).map((r) => recipientRow(clinicId, r));
        await sql`insert into broadcast_recipients (${sql.raw(recipientColumns)})
          select * from unnest(${columnsOf(rows)
            .map((c, n) => sql`${c}::${sql.raw(arrayTypes[n]!)}`)
            .reduce((a, b) => sql`${a}, ${b}`)})`.execute(db);
      }
    },
    async get(id) {
      const row = await broadcasts().where("id", "=", id).executeTakeFirst();
      return row ? ((await openBroadcasts([row]))[0] ?? null) : null;
    },
    async byClientId(authorId, clientId) {
      const row = await broadcasts()
        .where("author_id", "=", authorId)
        .where("client_id", "=", clientId)
        .executeTakeFirst();
      return row ? ((await openBroadcasts([row]))[0] ?? null) : null;
    },
    async reserve(id) {
      const row = await broadcasts().where("id", "=", id).forUpdate().executeTakeFirst();
      return row ? ((await openBroadcasts([row]))[0] ?? null) : null;
    },
    async setState(id, state) {
      await db
        .updateTable("broadcasts")
        .set({ state })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .execute();
      // A cancelled broadcast's text is of no further use: its key goes (REC-2).
      if (state === "cancelled") await shredKeys(db, clinicId, [broadcastSubject(id)]);
    },
    async latest(limit) {
      const rows = await broadcasts()
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return openBroadcasts(rows);
    },
    async progress(id) {
      const rows = await db
        .selectFrom("broadcast_recipients")
        .select(["status", (eb) => eb.fn.countAll<string>().as("n")])
        .where("clinic_id", "=", clinicId)
        .where("broadcast_id", "=", id)
        .groupBy("status")
        .execute();
      const counts = { ...noProgress };
      for (const row of rows) counts[row.status] = Number(row.n);
      return counts;
    },
    async waiting(id, limit) {
      const rows = await db
        .selectFrom("broadcast_recipients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("broadcast_id", "=", id)
        .where("status", "=", "waiting")
        .orderBy("patient_id")
        .limit(limit)
        .execute();
      return rows.map(toRecipient);
    },
    async record(recipients) {
      if (recipients.length === 0) return;
      const rows = recipients.map((r) => recipientRow(clinicId, r));
      const [, broadcastIds, patientIds, statuses, reasons, attempts, conversations, messages] =
        columnsOf(rows);
      await sql`update broadcast_recipients r set status = u.status, reason = u.reason, attempts = u.attempts,
          conversation_id = u.conversation_id, message_id = u.message_id
        from unnest(${broadcastIds}::text[], ${patientIds}::text[], ${statuses}::text[], ${reasons}::text[],
          ${attempts}::int[], ${conversations}::text[], ${messages}::text[])
          as u(broadcast_id, patient_id, status, reason, attempts, conversation_id, message_id)
        where r.clinic_id = ${clinicId} and r.broadcast_id = u.broadcast_id and r.patient_id = u.patient_id`.execute(
        db,
      );
    },
    async cancelWaiting(id) {
      await db
        .updateTable("broadcast_recipients")
        .set({ status: "cancelled" })
        .where("clinic_id", "=", clinicId)
        .where("broadcast_id", "=", id)
        .where("status", "=", "waiting")
        .execute();
    },
    async recipients(id, page) {
      if (page.limit <= 0) return { items: [], nextCursor: null };
      let select = db
        .selectFrom("broadcast_recipients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("broadcast_id", "=", id);
      if (page.status) select = select.where("status", "=", page.status);
      if (page.cursor) select = select.where("patient_id", ">", page.cursor);
      const rows = await select
        .orderBy("patient_id")
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit).map(toRecipient);
      return {
        items,
        nextCursor: rows.length > page.limit ? (items[items.length - 1]?.patientId ?? null) : null,
      };
    },
    async audience(audience) {
      const appointments = () =>
        db.selectFrom("appointments").select("patient_id").where("clinic_id", "=", clinicId);
      let select = patients();
      switch (audience.kind) {
        case "selection":
          if (audience.patientIds.length === 0) return [];
          select = select.where(sql<boolean>`id = any(${[...new Set(audience.patientIds)]}::text[])`);
          break;
        case "practitioner":
          select = select.where(
            "id",
            "in",
            appointments().where("practitioner_id", "=", audience.practitionerId),
          );
          break;
        case "appointments":
          select = select.where(
            "id",
            "in",
            appointments()
              .where("status", "!=", "cancelled")
              .where("starts_at", ">=", audience.from)
              .where("starts_at", "<", audience.to),
          );
          break;
        case "activePortal":
          select = select.where("portal_account", "=", "active");
          break;
      }
      const rows = await select.orderBy("name").orderBy("id").execute();
      return rows.map(toPatient);
    },
    async file(id) {
      const row = await db
        .selectFrom("broadcast_files")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? ((await openFiles([row]))[0] ?? null) : null;
    },
    async createFile(file) {
      await db
        .insertInto("broadcast_files")
        .values({
          clinic_id: clinicId,
          id: file.id,
          uploader_id: file.uploaderId,
          name: await sealUnderOwnKey(db, await seal(), clinicId, broadcastFileSubject(file.id), file.name),
          size_bytes: file.sizeBytes,
          content_type: file.contentType,
          storage_key: file.storageKey,
          state: file.state,
          created_at: file.createdAt,
        })
        .execute();
    },
    async markFileReady(id, checked) {
      await db
        .updateTable("broadcast_files")
        .set({ state: "ready", size_bytes: checked.sizeBytes, content_type: checked.contentType })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .execute();
    },
    async stalePendingFiles(before, limit) {
      const rows = await db
        .selectFrom("broadcast_files")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("state", "=", "pending")
        .where("created_at", "<", before)
        .orderBy("created_at")
        .limit(limit)
        .execute();
      return openFiles(rows);
    },
    async removePendingFile(id) {
      const removed = await db
        .deleteFrom("broadcast_files")
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .where("state", "=", "pending")
        .executeTakeFirst();
      if (removed.numDeletedRows === 0n) return false;
      await shredKeys(db, clinicId, [broadcastFileSubject(id)]);
      return true;
    },
    async releaseFile(id) {
      const file = await this.file(id);
      if (!file) return false;
      return releaseReference(statements, clinicId, file.storageKey, async () => {
        await db
          .deleteFrom("broadcast_files")
          .where("clinic_id", "=", clinicId)
          .where("id", "=", id)
          .execute();
        await shredKeys(db, clinicId, [broadcastFileSubject(id)]);
      });
    },
  };
}

/** The element type of each column of {@link recipientColumns}, for `unnest`. */
const arrayTypes = ["text[]", "text[]", "text[]", "text[]", "text[]", "int[]", "text[]", "text[]"];
