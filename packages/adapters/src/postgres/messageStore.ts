import type { Message, MessageBody, MessageStore } from "@clinic-chat/domain";
import { type Insertable, type Kysely, type Selectable, sql } from "kysely";
import type { ClinicSeal, RecordKeys } from "../keys/recordKeys";
import { isSealedText } from "../keys/sealing";
import { columnsOf } from "./arrayParameters";
import type { Database, MessagesTable } from "./Database";
import type { EventJournal } from "./eventLog";
import { personOf } from "./people";
import type { Statements } from "./Statements";

/**
 * {@link MessageStore.post}: $1 the clinic, then one array per column, aligned, one message per
 * reserved conversation. Each message goes in; its conversation's number and activity time move
 * to it (never backwards), the members' activity time follows (it orders each person's list),
 * and a quiet member other than the sender is quiet no more. Its `message.posted` event goes to the
 * unit of work's event journal.
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
  ), keyed as (
    insert into message_keys (clinic_id, message_id, wrapped)
    select $1, k.id, decode(k.wrapped, 'base64') from unnest($12::text[], $13::text[]) as k(id, wrapped)
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
  )
  select count(*) from ins`;

/**
 * A message's parameters, in the columns' order of {@link postSql}, its text sealed under a data
 * key of its own (REC-2) when the clinic seals; `keys` collects the data keys' wrappings.
 */
function messageRow(message: Message, seal: ClinicSeal | null, keys: [string, string][]): unknown[] {
  const body = bodyColumns(message.body);
  if (seal && body.text !== null) {
    const subject = messageSubject(message.id);
    const dataKey = seal.newDataKey(subject);
    body.text = seal.sealText(dataKey.key, subject, body.text);
    keys.push([message.id, dataKey.wrapped.toString("base64")]);
  }
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

/** What a message's key and sealed text are bound to. */
export function messageSubject(messageId: string): string {
  return `message/${messageId}`;
}

/** A message row with its data key's wrapping (`message_keys`), when it has one. */
export type KeyedMessageRow = Selectable<MessagesTable> & { data_key?: Uint8Array | null };

/**
 * The body of a row. Sealed text opens with the row's data key; a sealed text whose key is gone
 * (a row restored from a backup taken before its deletion) is shown as deleted (REC-2), by its
 * sender at its time, since nothing else of the deletion is left in that copy.
 */
export function toBody(row: KeyedMessageRow, seal: ClinicSeal | null): MessageBody {
  if (row.body_kind === "text" && row.text !== null) {
    if (!isSealedText(row.text)) return { kind: "text", text: row.text };
    if (!row.data_key) {
      return { kind: "deleted", deletedAt: row.sent_at, deletedBy: personOf(row.sender_kind, row.sender_id) };
    }
    if (!seal) throw new Error(`message ${row.id} is sealed and no record keys are configured`);
    const subject = messageSubject(row.id);
    return { kind: "text", text: seal.openText(seal.dataKey(subject, row.data_key), subject, row.text) };
  }
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

export function toMessage(row: KeyedMessageRow, seal: ClinicSeal | null): Message {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    conversationId: row.conversation_id,
    seq: row.seq,
    clientId: row.client_id,
    sender: personOf(row.sender_kind, row.sender_id),
    sentAt: row.sent_at,
    body: toBody(row, seal),
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
const dataKey = `(select k.wrapped from message_keys k where k.clinic_id = $1 and k.message_id = m.id) as data_key`;
const historySql = `select m.*, ${dataKey} from messages m where m.clinic_id = $1 and m.conversation_id = $2
  and m.seq > ${lastSeq} - $3::int order by m.seq desc limit $3`;
const historyBeforeSql = `select m.*, ${dataKey} from messages m where m.clinic_id = $1 and m.conversation_id = $2
  and m.seq < $4 and m.seq >= least($4::int, ${lastSeq} + 1) - $3::int order by m.seq desc limit $3`;

/**
 * Erasing messages, one statement however many: an UPDATE that nulls the text and the file
 * reference (the content leaves the live rows now and their dead versions are reclaimed by
 * (auto)vacuum; only the DEL-3 facts remain), and the data keys go with the content, so what any
 * copy kept of the text no longer opens. A scheduled message a deleted one was sent from keeps its
 * text under a key of its own: that key goes too.
 */
const eraseSql = `with erased as (
    update messages set body_kind = 'deleted', text = null, file_id = null,
      deleted_at = $3, deleted_by_kind = $4, deleted_by_id = $5
     where clinic_id = $1 and id = any($2::text[])
  ), scheduled_keys as (
    delete from record_keys where clinic_id = $1 and subject in (
      select 'scheduled/' || id from scheduled_messages where clinic_id = $1 and message_id = any($2::text[]))
  )
  delete from message_keys where clinic_id = $1 and message_id = any($2::text[])`;

/** The clinic's sealing, or null where the product runs without record keys. */
export function sealOf(
  keys: RecordKeys | undefined,
  clinicId: string,
  within: Kysely<Database>,
): Promise<ClinicSeal | null> {
  return keys ? keys.forClinic(clinicId, within) : Promise.resolve(null);
}

/**
 * Messages of the unit of work's clinic; erasing one really removes its content (DEL-2): with
 * record keys, the text is sealed under the message's own data key, and erasing deletes the key
 * too, so no copy of the text left in a dead row, the write-ahead log or a backup opens (REC-2).
 */
export function postgresMessageStore(
  statements: Statements,
  clinicId: string,
  journal: EventJournal,
  keys?: RecordKeys,
): MessageStore {
  const { db } = statements;
  const messages = () =>
    db
      .selectFrom("messages as m")
      .selectAll("m")
      .select((eb) =>
        eb
          .selectFrom("message_keys as k")
          .select("k.wrapped")
          .whereRef("k.clinic_id", "=", "m.clinic_id")
          .whereRef("k.message_id", "=", "m.id")
          .as("data_key"),
      )
      .where("m.clinic_id", "=", clinicId);
  return {
    async get(messageId) {
      const [row, seal] = await Promise.all([
        messages().where("m.id", "=", messageId).executeTakeFirst(),
        sealOf(keys, clinicId, db),
      ]);
      return row ? toMessage(row, seal) : null;
    },
    async getMany(messageIds) {
      const ids = [...new Set(messageIds)];
      if (ids.length === 0) return [];
      const [rows, seal] = await Promise.all([
        // One statement however many ids, so its plan is made once.
        messages().where("m.id", "=", sql<string>`any(${ids}::text[])`).execute(),
        sealOf(keys, clinicId, db),
      ]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [toMessage(row, seal)] : [];
      });
    },
    async findByClientId(conversationId, sender, clientId) {
      const [row, seal] = await Promise.all([
        messages()
          .where("m.conversation_id", "=", conversationId)
          .where("m.sender_kind", "=", sender.kind)
          .where("m.sender_id", "=", sender.id)
          .where("m.client_id", "=", clientId)
          .executeTakeFirst(),
        sealOf(keys, clinicId, db),
      ]);
      return row ? toMessage(row, seal) : null;
    },
    async post(posts) {
      if (posts.length === 0) return;
      if (new Set(posts.map((m) => m.conversationId)).size !== posts.length) {
        throw new Error("two posts into one conversation in one statement");
      }
      const seal = await sealOf(keys, clinicId, db);
      const dataKeys: [string, string][] = [];
      const columns = columnsOf(posts.map((post) => messageRow(post, seal, dataKeys)));
      // Nobody waits for it; its events are written with the unit of work's last statement.
      await statements.write(postSql, [
        clinicId,
        ...columns,
        dataKeys.map(([id]) => id),
        dataKeys.map(([, wrapped]) => wrapped),
      ]);
      journal.add(
        posts.map((post) => ({
          clinicId,
          conversationId: post.conversationId,
          type: "message.posted" as const,
          messageId: post.id,
          person: post.sender,
          seq: post.seq,
          at: post.sentAt,
        })),
      );
    },
    async history(conversationId, query) {
      if (query.limit <= 0) return [];
      const before = query.beforeSeq ?? null;
      // A read: concurrent calls of a unit of work (readHistories) share a round trip.
      const [rows, seal] = await Promise.all([
        statements.read<KeyedMessageRow>(
          before === null ? historySql : historyBeforeSql,
          before === null
            ? [clinicId, conversationId, query.limit]
            : [clinicId, conversationId, query.limit, before],
        ),
        sealOf(keys, clinicId, db),
      ]);
      return rows.map((row) => toMessage(row, seal));
    },
    async erase(messageIds, body) {
      if (messageIds.length === 0) return;
      // Nobody waits for it: it goes out with the unit of work's next statement or its COMMIT.
      const { deletedAt, deletedBy } = body;
      await statements.write(eraseSql, [clinicId, [...messageIds], deletedAt, deletedBy.kind, deletedBy.id]);
    },
  };
}
