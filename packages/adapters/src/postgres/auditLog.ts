import {
  type AuditAction,
  type AuditEvent,
  type AuditLog,
  parsePersonKey,
  type StoredAuditEvent,
} from "@clinic-chat/domain";
import type { RecordKeys } from "../keys/recordKeys";
import { columnsOf } from "./arrayParameters";
import { postgresAuditNames } from "./auditNames";
import { optionalPersonOf } from "./people";
import type { Statements } from "./Statements";

/** One audit record (a fixed statement: nothing to compile per use case). */
const appendSql = `insert into audit_log (clinic_id, actor_kind, actor_id, action, conversation_id, message_id,
    file_id, subject_kind, subject_id, reason, at, ip, outcome, credential_id, broadcast_id)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`;

/** {@link appendSql} for several records: one array per column, aligned ($1 … $15). */
const appendAllSql = `insert into audit_log (clinic_id, actor_kind, actor_id, action, conversation_id, message_id,
    file_id, subject_kind, subject_id, reason, at, ip, outcome, credential_id, broadcast_id)
  select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::text[], $13::text[], $14::text[],
    $15::text[])`;

/** A record's parameters, in the columns' order of {@link appendSql}. */
function auditRow(event: AuditEvent): unknown[] {
  return [
    event.clinicId,
    event.actor?.kind ?? null,
    event.actor?.id ?? null,
    event.action,
    event.conversationId ?? null,
    event.messageId ?? null,
    event.fileId ?? null,
    event.subject?.kind ?? null,
    event.subject?.id ?? null,
    event.reason ?? null,
    event.at,
    event.ip,
    event.outcome,
    event.credentialId ?? null,
    event.broadcastId ?? null,
  ];
}

/**
 * The clinic's append-only audit trail (SEC-3); the database refuses to change or delete it.
 * Records are writes: nobody waits for them, and a failure still fails the unit of work, so
 * nothing of it commits.
 */
export function postgresAuditLog(statements: Statements, clinicId: string, keys?: RecordKeys): AuditLog {
  const { db } = statements;
  return {
    ...postgresAuditNames(statements, clinicId, keys),
    async append(event) {
      await statements.write(appendSql, auditRow(event));
    },
    async appendAll(events) {
      if (events.length === 0) return;
      await statements.write(appendAllSql, columnsOf(events.map(auditRow)));
    },
    async list(query) {
      const none = { items: [], nextCursor: null };
      if (query.limit <= 0 || (query.cursor && !/^\d{1,18}$/.test(query.cursor))) return none;
      let select = db.selectFrom("audit_log").selectAll().where("clinic_id", "=", clinicId);
      if (query.cursor) select = select.where("id", "<", query.cursor);
      if (query.action) select = select.where("action", "=", query.action);
      if (query.conversationId) select = select.where("conversation_id", "=", query.conversationId);
      if (query.actorKey) {
        const actor = parsePersonKey(query.actorKey);
        if (!actor) return none;
        select = select.where("actor_kind", "=", actor.kind).where("actor_id", "=", actor.id);
      }
      if (query.patientId) {
        const patientId = query.patientId;
        // REC-6: the patient acting, acted on, or any record of one of their conversations.
        select = select.where((eb) =>
          eb.or([
            eb.and([eb("actor_kind", "=", "patient"), eb("actor_id", "=", patientId)]),
            eb.and([eb("subject_kind", "=", "patient"), eb("subject_id", "=", patientId)]),
            eb(
              "conversation_id",
              "in",
              eb
                .selectFrom("conversations")
                .select("id")
                .where("clinic_id", "=", clinicId)
                .where("patient_id", "=", patientId),
            ),
          ]),
        );
      }
      if (query.from) select = select.where("at", ">=", query.from);
      if (query.to) select = select.where("at", "<", query.to);
      const rows = await select
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute();
      const items = rows.slice(0, query.limit).map(
        (row): StoredAuditEvent => ({
          id: row.id,
          clinicId: row.clinic_id,
          actor: optionalPersonOf(row.actor_kind, row.actor_id),
          action: row.action as AuditAction,
          conversationId: row.conversation_id,
          messageId: row.message_id,
          fileId: row.file_id,
          subject: optionalPersonOf(row.subject_kind, row.subject_id),
          reason: row.reason,
          at: row.at,
          ip: row.ip,
          outcome: row.outcome,
          ...(row.credential_id !== null && { credentialId: row.credential_id }),
          ...(row.broadcast_id ? { broadcastId: row.broadcast_id } : {}),
        }),
      );
      const last = items[items.length - 1];
      return { items, nextCursor: last && rows.length > query.limit ? last.id : null };
    },
  };
}
