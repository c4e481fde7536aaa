import type { InboxStore, TimelineEntry } from "@clinic-chat/domain/inbox";
import type { Selectable } from "kysely";
import type { RecordKeys } from "../keys/recordKeys";
import { columnsOf } from "./arrayParameters";
import type { ConversationTimelineTable } from "./Database";
import { postgresInboxViews, toInboxState } from "./inboxViews";
import { optionalPersonOf } from "./people";
import type { Statements } from "./Statements";

const saveSql = `update conversations
  set inbox_status = $3, assignee_id = $4, last_sender_kind = $5, last_auto_reply_at = $6
  where clinic_id = $1 and id = $2 and kind = 'patient'`;

/** {@link InboxStore.saveAll}: every state in one statement. */
const saveAllSql = `update conversations c
  set inbox_status = u.status, assignee_id = u.assignee_id, last_sender_kind = u.last_sender_kind,
      last_auto_reply_at = u.last_auto_reply_at
  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
    as u(id, status, assignee_id, last_sender_kind, last_auto_reply_at)
  where c.clinic_id = $1 and c.id = u.id and c.kind = 'patient'`;

const addTimelineSql = `insert into conversation_timeline
  (clinic_id, id, conversation_id, kind, actor_kind, actor_id, subject_staff_id, after_seq, at, next_opening_at)
  select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::int[], $9::timestamptz[], $10::timestamptz[])`;

function toTimelineEntry(row: Selectable<ConversationTimelineTable>): TimelineEntry {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    kind: row.kind,
    actor: optionalPersonOf(row.actor_kind, row.actor_id),
    subjectStaffId: row.subject_staff_id,
    afterSeq: row.after_seq,
    at: row.at,
    nextOpeningAt: row.next_opening_at,
  };
}

/** The inbox of the unit of work's clinic (INBOX-1 … INBOX-3). */
export function postgresInboxStore(statements: Statements, clinicId: string, keys?: RecordKeys): InboxStore {
  const { db } = statements;
  return {
    async get(conversationId) {
      const row = await db
        .selectFrom("conversations")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", "=", conversationId)
        .executeTakeFirst();
      return row ? toInboxState(row) : null;
    },
    async save(state) {
      await statements.write(saveSql, [
        clinicId,
        state.conversationId,
        state.status,
        state.assigneeId,
        state.lastSenderKind,
        state.lastAutoReplyAt,
      ]);
    },
    async saveAll(states) {
      if (states.length === 0) return;
      // One row per conversation: the last state given for it counts, as saving each in turn would.
      const last = [...new Map(states.map((state) => [state.conversationId, state])).values()];
      await statements.write(saveAllSql, [
        clinicId,
        ...columnsOf(
          last.map((s) => [s.conversationId, s.status, s.assigneeId, s.lastSenderKind, s.lastAutoReplyAt]),
        ),
      ]);
    },
    async addTimeline(entries) {
      if (entries.length === 0) return;
      await statements.write(addTimelineSql, [
        clinicId,
        ...columnsOf(
          entries.map((e) => [
            e.id,
            e.conversationId,
            e.kind,
            e.actor?.kind ?? null,
            e.actor?.id ?? null,
            e.subjectStaffId,
            e.afterSeq,
            e.at,
            e.nextOpeningAt,
          ]),
        ),
      ]);
    },
    async timeline(conversationId) {
      const rows = await db
        .selectFrom("conversation_timeline")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("conversation_id", "=", conversationId)
        .orderBy("at")
        .orderBy("id")
        .execute();
      return rows.map(toTimelineEntry);
    },
    async setMarkedUnread(conversationId, person, marked) {
      await statements.write(
        `update conversation_participants set marked_unread = $5
          where clinic_id = $1 and conversation_id = $2 and person_kind = $3 and person_id = $4
            and marked_unread <> $5`,
        [clinicId, conversationId, person.kind, person.id, marked],
      );
    },
    ...postgresInboxViews(statements, clinicId, keys),
  };
}
