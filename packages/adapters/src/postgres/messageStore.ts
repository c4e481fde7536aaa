import { DomainError, type Message, type MessageBody, type MessageStore } from "@clinic-chat/domain";
import { CompiledQuery, type Insertable, type Kysely, type Selectable, sql } from "kysely";
import { columnsOf } from "./arrayParameters";
import { issueQuery, writeBehindAnswered } from "./connectPostgres";
import type { Database, MessagesTable } from "./Database";
import type { EventAppends } from "./eventLog";
import { personOf } from "./people";

/**
 * What follows a message insert `ins` in one statement, as CTEs: the conversation's number and
 * activity time bumped, the members' activity time following it, and the `message.posted` event
 * appended (`ev`, returning its id), with the message id and the sender's kind and id as the given
 * parameters.
 */
function followPost(messageId: string, senderKind: string, senderId: string): string {
  return `bumped as (
    update conversations k
       set last_seq = ins.seq, last_activity_at = greatest(k.last_activity_at, ins.sent_at)
      from ins where k.clinic_id = ins.clinic_id and k.id = ins.conversation_id
    returning k.clinic_id, k.id, k.last_activity_at
  ), members as (
    update conversation_participants p set last_activity_at = b.last_activity_at
      from bumped b where p.clinic_id = b.clinic_id and p.conversation_id = b.id
    returning p.person_id
  ), ev as (
    insert into conversation_events (clinic_id, conversation_id, type, message_id, person_kind, person_id, seq, at)
    select ins.clinic_id, ins.conversation_id, 'message.posted', ${messageId}, ${senderKind}, ${senderId}, ins.seq, ins.sent_at
      from ins
    returning id
  )`;
}

/**
 * MSG-1 post-once in one statement. `c` locks the conversation (concurrent posts queue here,
 * like nextSeq) and takes the transaction id first: the live feed relies on "a transaction that
 * holds an event id had its xid before that id was drawn", and the event row below is only made
 * from rows that came through `c`. The message goes in unless the sender's client id is taken
 * (then nothing at all is written: no number is reserved, so numbers keep having no gaps); the
 * number is bumped, the members' activity time follows, and the `message.posted` event is
 * appended, all from the inserted row.
 */
const postOnceSql = `with c as (
    select clinic_id, id, last_seq + 1 as seq, pg_current_xact_id() as xid
      from conversations where clinic_id = $1 and id = $2 for update
  ), ins as (
    insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at,
                          body_kind, text, file_id)
    select c.clinic_id, $3, c.id, c.seq, $4, $5, $6, $7, $8, $9, $10 from c where c.xid is not null
    on conflict (clinic_id, conversation_id, sender_kind, sender_id, client_id) do nothing
    returning clinic_id, conversation_id, seq, sent_at
  ), ${followPost("$3", "$5", "$6")}
  select (select count(*) from c)::int as found, (select seq from ins) as seq, (select id from ev) as event_id`;

/**
 * {@link MessageStore.post}, written behind: the message numbered under the conversation's lock
 * (taken by `accessForPost`), the number and activity time bumped, the members' activity time
 * following, and the `message.posted` event appended, all from the inserted row. The transaction
 * id is taken before the event id is drawn (`x`; the lock has taken it already, this keeps the
 * rule true of the statement alone).
 */
const postSql = `with x as (
    select pg_current_xact_id() as xid
  ), ins as (
    insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at,
                          body_kind, text, file_id)
    select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 from x where x.xid is not null
    returning clinic_id, conversation_id, seq, sent_at
  ), ${followPost("$2", "$6", "$7")}
  select (select id from ev) as event_id`;

/**
 * {@link postSql} for several messages, each into a different locked conversation: $1 the clinic,
 * then one array per column, aligned. Answers the newest event id appended.
 */
const postAllSql = `with x as (
    select pg_current_xact_id() as xid
  ), ins as (
    insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at,
                          body_kind, text, file_id)
    select $1, m.id, m.conversation_id, m.seq, m.client_id, m.sender_kind, m.sender_id, m.sent_at,
           m.body_kind, m.text, m.file_id
      from unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                  $9::text[], $10::text[], $11::text[])
           as m(id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at, body_kind, text, file_id),
           x
     where x.xid is not null
    returning clinic_id, id, conversation_id, seq, sent_at, sender_kind, sender_id
  ), ${followPost("ins.id", "ins.sender_kind", "ins.sender_id")}
  select (select max(id) from ev) as event_id`;

/** A message's parameters after the clinic's, in the columns' order of {@link postSql}. */
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
 * every plan reads at most `limit` of them. Without it a cached generic plan made while the table
 * was small read the whole conversation, and each page took longer as the conversation grew
 * (measured: 140, then 363 µs per page in two runs of the API bench, against 24 µs planned for
 * its arguments).
 */
const lastSeq = "(select c.last_seq from conversations c where c.clinic_id = $1 and c.id = $2)";
const historySql = `select * from messages where clinic_id = $1 and conversation_id = $2
  and seq > ${lastSeq} - $3::int order by seq desc limit $3`;
const historyBeforeSql = `select * from messages where clinic_id = $1 and conversation_id = $2
  and seq < $4 and seq >= least($4::int, ${lastSeq} + 1) - $3::int order by seq desc limit $3`;

/** Messages of the unit of work's clinic; erasing one really removes its content (DEL-2). */
export function postgresMessageStore(
  db: Kysely<Database>,
  clinicId: string,
  events?: EventAppends,
): MessageStore {
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
  /** Tells the live feed of a post's newest event id once the COMMIT is answered (0 if it failed). */
  const announce = (answer: Promise<{ rows: { event_id: string | null }[] }>): void =>
    events?.appendedBehind(
      answer.then(
        ({ rows }) => Number(rows[0]?.event_id ?? 0),
        () => 0,
      ),
    );
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
    async postOnce(draft) {
      const body = bodyColumns(draft.body);
      // Issued, not executed: a call made alongside (the recipients' states) shares its round trip.
      const { rows } = await issueQuery<{ found: number; seq: number | null; event_id: string | null }>(
        db,
        CompiledQuery.raw(postOnceSql, [
          clinicId,
          draft.conversationId,
          draft.id,
          draft.clientId,
          draft.sender.kind,
          draft.sender.id,
          draft.sentAt,
          body.body_kind,
          body.text,
          body.file_id,
        ]),
      );
      const row = rows[0];
      if (!row?.found) throw new DomainError("NOT_FOUND");
      if (row.seq !== null && row.event_id !== null) {
        events?.appended(Number(row.event_id));
        return { message: { ...draft, seq: row.seq }, created: true };
      }
      // Taken: by a committed send, or by one this statement waited for (now committed).
      const existing = await findByClientId(draft.conversationId, draft.sender, draft.clientId);
      if (!existing) throw new Error("a client id was taken by a message that cannot be read");
      return { message: existing, created: false };
    },
    async post(message) {
      // Nothing waits for it: the event id is announced once the COMMIT is answered.
      const { answer } = await writeBehindAnswered<{ event_id: string | null }>(
        db,
        CompiledQuery.raw(postSql, [clinicId, ...messageRow(message)]),
      );
      announce(answer);
    },
    async postAll(messages) {
      if (messages.length === 0) return;
      if (new Set(messages.map((m) => m.conversationId)).size !== messages.length) {
        throw new Error("two posts into one conversation in one statement");
      }
      const { answer } = await writeBehindAnswered<{ event_id: string | null }>(
        db,
        CompiledQuery.raw(postAllSql, [clinicId, ...columnsOf(messages.map(messageRow))]),
      );
      announce(answer);
    },
    async history(conversationId, query) {
      if (query.limit <= 0) return [];
      const before = query.beforeSeq ?? null;
      // Issued, not executed: concurrent calls of a unit of work (readHistories) share a round trip.
      const { rows } = await issueQuery<Selectable<MessagesTable>>(
        db,
        before === null
          ? CompiledQuery.raw(historySql, [clinicId, conversationId, query.limit])
          : CompiledQuery.raw(historyBeforeSql, [clinicId, conversationId, query.limit, before]),
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
