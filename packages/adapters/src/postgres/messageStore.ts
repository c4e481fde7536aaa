import type { Message, MessageBody, MessageStore } from "@clinic-chat/domain";
import type { Insertable, Selectable } from "kysely";
import { columnsOf } from "./arrayParameters";
import type { MessagesTable } from "./Database";
import { appendingEvents, type EventAppends } from "./eventLog";
import { personOf } from "./people";
import type { Statements } from "./Statements";

/**
 * {@link MessageStore.post}: $1 the clinic, then one array per column, aligned, one message per
 * reserved conversation. Each message goes in; its conversation's number and activity time move
 * to it (never backwards), the members' activity time follows (it orders each person's list),
 * a quiet member other than the sender is quiet no more, and its `message.posted` event is appended. Answers the newest event id appended.
 */
const postSql = `with ins as (
    insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at,
                          body_kind, text, file_id)
    select $1, m.id, m.conversation_id, m.seq, m.client_id, m.sender_kind, m.sender_id, m.sent_at,
           m.body_kind, m.text, m.file_id
      from unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                  $9::text[], $10::text[], $11::text[])
           as m(id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at, body_kind, text, file_id)
    returning clinic_id, id, conversation_id, seq, sent_at, sender_kind, sender_id
  ), bumped as (
    update conversations k
       set last_seq = ins.seq, last_activity_at = greatest(k.last_activity_at, ins.sent_at)
      from ins where k.clinic_id = ins.clinic_id and k.id = ins.conversation_id
    returning k.clinic_id, k.id, k.last_activity_at
  ), members as (
    update conversation_participants p set last_activity_at = b.last_activity_at,
           quiet = p.quiet and p.person_kind = ins.sender_kind and p.person_id = ins.sender_id
      from bumped b join ins on ins.clinic_id = b.clinic_id and ins.conversation_id = b.id
     where p.clinic_id = b.clinic_id and p.conversation_id = b.id
    returning p.person_id
  ), ${appendingEvents(`select ins.clinic_id, ins.conversation_id, 'message.posted', ins.id, ins.sender_kind,
      ins.sender_id, ins.seq, ins.sent_at from ins`)}
  select (select max(id) from ev) as event_id`;

/** A message's parameters, in the columns' order of {@link postSql}. */
function messageRow(message: Message): unknown[] {
  const body = bodyColumns(message.body);
  return [
    message.id,
    message.conversationId,
    message.seq,
    message.clientId,
    message.sender.kind,
    message.sender.id,
    message.sentAt,
    body.body_kind,
    body.text,
    body.file_id,
  ];
}

export function toBody(row: Selectable<MessagesTable>): MessageBody {
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

export function toMessage(row: Selectable<MessagesTable>): Message {
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

/**
 * A history page, newest first (fixed statements: a frequent read, nothing to compile). A
 * conversation's numbers have no gaps (MSG-1: each is its last number + 1, taken under its lock,
 * and messages are never removed, only erased), so the page is also bounded below: the `limit`
 * numbers under the cursor (or under the last number + 1). Same rows as without the bound, but
 * every plan reads at most `limit` of them, whatever plan is cached: a generic plan made while
 * the table was small would otherwise read the whole conversation.
 */
const lastSeq = "(select c.last_seq from conversations c where c.clinic_id = $1 and c.id = $2)";
const historySql = `select * from messages where clinic_id = $1 and conversation_id = $2
  and seq > ${lastSeq} - $3::int order by seq desc limit $3`;
const historyBeforeSql = `select * from messages where clinic_id = $1 and conversation_id = $2
  and seq < $4 and seq >= least($4::int, ${lastSeq} + 1) - $3::int order by seq desc limit $3`;

/** Messages of the unit of work's clinic; erasing one really removes its content (DEL-2). */
export function postgresMessageStore(
  statements: Statements,
  clinicId: string,
  events?: EventAppends,
): MessageStore {
  const { db } = statements;
  const messages = () => db.selectFrom("messages").selectAll().where("clinic_id", "=", clinicId);
  return {
    async get(messageId) {
      const row = await messages().where("id", "=", messageId).executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async findByClientId(conversationId, sender, clientId) {
      const row = await messages()
        .where("conversation_id", "=", conversationId)
        .where("sender_kind", "=", sender.kind)
        .where("sender_id", "=", sender.id)
        .where("client_id", "=", clientId)
        .executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async post(posts) {
      if (posts.length === 0) return;
      if (new Set(posts.map((m) => m.conversationId)).size !== posts.length) {
        throw new Error("two posts into one conversation in one statement");
      }
      // Nobody waits for it: the live feed is told the event id once the unit of work is over.
      const { rows } = await statements.writeAnswered<{ event_id: string | null }>(postSql, [
        clinicId,
        ...columnsOf(posts.map(messageRow)),
      ]);
      events?.appendedBehind(
        rows.then(
          (answer) => Number(answer[0]?.event_id ?? 0),
          () => 0,
        ),
      );
    },
    async history(conversationId, query) {
      if (query.limit <= 0) return [];
      const before = query.beforeSeq ?? null;
      // A read: concurrent calls of a unit of work (readHistories) share a round trip.
      const rows = await statements.read<Selectable<MessagesTable>>(
        before === null ? historySql : historyBeforeSql,
        before === null
          ? [clinicId, conversationId, query.limit]
          : [clinicId, conversationId, query.limit, before],
      );
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
