import type { DomainErrorCode } from "@clinic-chat/domain";
import type { ScheduledMessage, ScheduledMessageStore } from "@clinic-chat/domain/scheduled";
import type { Template, TemplateStore } from "@clinic-chat/domain/templates";
import type { Kysely, Selectable } from "kysely";
import type { ClinicSeal, RecordKeys } from "../keys/recordKeys";
import { openUnderOwnKeys, sealUnderOwnKey, shredKeys, templateSubject } from "../keys/subjectKeys";
import type { Database } from "./Database";
import { sealOf } from "./messageStore";
import type { MessageTemplatesTable, ScheduledMessagesTable } from "./templateTables";

function toTemplate(row: Selectable<MessageTemplatesTable>, text: string | null): Template {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    scope: row.scope,
    ownerId: row.owner_id,
    name: row.name,
    text: text ?? "",
    updatedAt: row.updated_at,
  };
}

/**
 * The domain's TemplateStore on `message_templates` of the unit of work's clinic (TPL-1). With
 * record keys, each template's text is sealed under a data key of its own, destroyed with the
 * template (REC-1, REC-2).
 */
export function postgresTemplateStore(
  db: Kysely<Database>,
  clinicId: string,
  keys?: RecordKeys,
): TemplateStore {
  const open = async (rows: Selectable<MessageTemplatesTable>[]) => {
    const seal = await sealOf(keys, clinicId, db);
    const texts = await openUnderOwnKeys(
      db,
      seal,
      clinicId,
      rows.map((row) => ({ subject: templateSubject(row.id), value: row.text })),
    );
    return rows.map((row, i) => toTemplate(row, texts[i] ?? null));
  };
  return {
    async listFor(staffId) {
      const rows = await db
        .selectFrom("message_templates")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where((eb) => eb.or([eb("owner_id", "is", null), eb("owner_id", "=", staffId)]))
        .orderBy("name")
        .orderBy("id")
        .execute();
      return open(rows);
    },
    async get(id) {
      const row = await db
        .selectFrom("message_templates")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? ((await open([row]))[0] ?? null) : null;
    },
    async save(template) {
      const seal = await sealOf(keys, clinicId, db);
      const text = await sealUnderOwnKey(db, seal, clinicId, templateSubject(template.id), template.text);
      const columns = { name: template.name, text, updated_at: template.updatedAt };
      await db
        .insertInto("message_templates")
        .values({
          clinic_id: clinicId,
          id: template.id,
          scope: template.scope,
          owner_id: template.ownerId,
          ...columns,
        })
        .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
        .execute();
    },
    async remove(id) {
      await db
        .deleteFrom("message_templates")
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .execute();
      await shredKeys(db, clinicId, [templateSubject(id)]);
    },
  };
}

/** What a scheduled message's sealed text is bound to. */
export function scheduledSubject(id: string): string {
  return `scheduled/${id}`;
}

/** A text sealed under the clinic's key itself, before scheduled messages had keys of their own. */
export function openEarlierSealing(seal: ClinicSeal | null) {
  return (subject: string, value: string): string | null => {
    try {
      return seal?.openSecret(subject, value) ?? null;
    } catch {
      // Not the clinic's sealing: its own key was destroyed (REC-2).
      return null;
    }
  };
}

function toScheduled(row: Selectable<ScheduledMessagesTable>, text: string | null): ScheduledMessage {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    conversationId: row.conversation_id,
    authorId: row.author_id,
    clientId: row.client_id,
    text: text ?? "",
    sendAt: row.send_at,
    status: row.status,
    messageId: row.message_id,
    refusal: row.refusal as DomainErrorCode | null,
    authorEmailed: row.author_emailed,
    createdAt: row.created_at,
  };
}

/**
 * The domain's ScheduledMessageStore on `scheduled_messages` (SCHED-1). Reserving locks the row
 * for the rest of the transaction, so a send, an edit and a cancellation of one message take turns.
 * With record keys, the text is sealed under a data key of its own (REC-1), destroyed when the
 * message is cancelled or the message it became is deleted (REC-2).
 */
export function postgresScheduledMessageStore(
  db: Kysely<Database>,
  clinicId: string,
  keys?: RecordKeys,
): ScheduledMessageStore {
  const open = async (rows: Selectable<ScheduledMessagesTable>[]) => {
    const seal = await sealOf(keys, clinicId, db);
    const texts = await openUnderOwnKeys(
      db,
      seal,
      clinicId,
      rows.map((row) => ({ subject: scheduledSubject(row.id), value: row.text })),
      openEarlierSealing(seal),
    );
    return rows.map((row, i) => toScheduled(row, texts[i] ?? null));
  };
  return {
    async reserve(id) {
      const row = await db
        .selectFrom("scheduled_messages")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      return row ? ((await open([row]))[0] ?? null) : null;
    },
    async byClientId(authorId, clientId) {
      const row = await db
        .selectFrom("scheduled_messages")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("author_id", "=", authorId)
        .where("client_id", "=", clientId)
        .executeTakeFirst();
      return row ? ((await open([row]))[0] ?? null) : null;
    },
    async save(m) {
      const seal = await sealOf(keys, clinicId, db);
      const subject = scheduledSubject(m.id);
      // A cancelled message's text is of no further use: its key goes and nothing is kept.
      if (m.status === "cancelled") await shredKeys(db, clinicId, [subject]);
      const text = m.status === "cancelled" ? "" : await sealUnderOwnKey(db, seal, clinicId, subject, m.text);
      const columns = {
        text,
        send_at: m.sendAt,
        status: m.status,
        message_id: m.messageId,
        refusal: m.refusal,
        author_emailed: m.authorEmailed,
      };
      await db
        .insertInto("scheduled_messages")
        .values({
          clinic_id: clinicId,
          id: m.id,
          conversation_id: m.conversationId,
          author_id: m.authorId,
          client_id: m.clientId,
          created_at: m.createdAt,
          ...columns,
        })
        .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
        .execute();
    },
    async inConversation(conversationId) {
      const rows = await db
        .selectFrom("scheduled_messages")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("conversation_id", "=", conversationId)
        .where("status", "in", ["pending", "refused"])
        .orderBy("send_at")
        .orderBy("id")
        .execute();
      return open(rows);
    },
  };
}
