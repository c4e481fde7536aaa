import type { Message, MessageBody, MessageStore } from "@clinic-chat/domain";
import { type Insertable, type Kysely, type Selectable, sql } from "kysely";
import type { Database, MessagesTable } from "./Database";
import { personOf } from "./people";

function toBody(row: Selectable<MessagesTable>): MessageBody {
  if (row.body_kind === "text" && row.text !== null) return { kind: "text", text: row.text };
  if (row.body_kind === "file" && row.file_id !== null) return { kind: "file", fileId: row.file_id };
  if (row.body_kind === "deleted" && row.deleted_at && row.deleted_by_kind && row.deleted_by_id) {
    return {
      kind: "deleted",
      deletedAt: row.deleted_at,
      deletedBy: personOf(row.deleted_by_kind, row.deleted_by_id),
    };
  }
  // The table's CHECK constraint makes this unreachable; say which row without saying what it holds.
  throw new Error(`message ${row.id} has an inconsistent body`);
}

function bodyColumns(body: MessageBody) {
  return {
    body_kind: body.kind,
    text: body.kind === "text" ? body.text : null,
    file_id: body.kind === "file" ? body.fileId : null,
    deleted_at: body.kind === "deleted" ? body.deletedAt : null,
    deleted_by_kind: body.kind === "deleted" ? body.deletedBy.kind : null,
    deleted_by_id: body.kind === "deleted" ? body.deletedBy.id : null,
  } satisfies Partial<Insertable<MessagesTable>>;
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    conversationId: row.conversation_id,
    seq: row.seq,
    clientId: row.client_id,
    sender: personOf(row.sender_kind, row.sender_id),
    sentAt: row.sent_at,
    body: toBody(row),
  };
}

/** Messages of the unit of work's clinic; erasing one really removes its content (DEL-2). */
export function postgresMessageStore(db: Kysely<Database>, clinicId: string): MessageStore {
  const messages = () => db.selectFrom("messages").selectAll().where("clinic_id", "=", clinicId);
  const findByClientId: MessageStore["findByClientId"] = async (conversationId, sender, clientId) => {
    const row = await messages()
      .where("conversation_id", "=", conversationId)
      .where("sender_kind", "=", sender.kind)
      .where("sender_id", "=", sender.id)
      .where("client_id", "=", clientId)
      .executeTakeFirst();
    return row ? toMessage(row) : null;
  };
  return {
    async get(messageId) {
      const row = await messages().where("id", "=", messageId).executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    findByClientId,
    async claimClientId(conversationId, sender, clientId) {
      // A transaction-scoped lock on this sender's client id in this conversation: an overlapping
      // retry waits here until this unit of work ends, then finds the message it created.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`${clinicId}|${conversationId}|${sender.kind}:${sender.id}|${clientId}`}, 0))`.execute(
        db,
      );
      return findByClientId(conversationId, sender, clientId);
    },
    async create(message) {
      await db
        .insertInto("messages")
        .values({
          clinic_id: message.clinicId,
          id: message.id,
          conversation_id: message.conversationId,
          seq: message.seq,
          client_id: message.clientId,
          sender_kind: message.sender.kind,
          sender_id: message.sender.id,
          sent_at: message.sentAt,
          ...bodyColumns(message.body),
        })
        .execute();
    },
    async history(conversationId, query) {
      if (query.limit <= 0) return [];
      let page = messages().where("conversation_id", "=", conversationId);
      if (query.beforeSeq !== undefined && query.beforeSeq !== null)
        page = page.where("seq", "<", query.beforeSeq);
      const rows = await page.orderBy("seq", "desc").limit(query.limit).execute();
      return rows.map(toMessage);
    },
    async erase(messageId, body) {
      // An UPDATE that nulls the text and the file reference: the content leaves the live row now
      // and its dead version is reclaimed by (auto)vacuum; only the DEL-3 facts remain.
      await db
        .updateTable("messages")
        .set(bodyColumns(body))
        .where("clinic_id", "=", clinicId)
        .where("id", "=", messageId)
        .execute();
    },
  };
}
