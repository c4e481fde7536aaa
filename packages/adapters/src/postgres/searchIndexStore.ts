import type { IndexedMessage, IndexHit, SearchIndex } from "@clinic-chat/domain";
import type { RecordKeys } from "../keys/recordKeys";
import { searchDigests } from "../keys/searchDigests";
import { sealOf } from "./messageStore";
import type { Statements } from "./Statements";

/**
 * {@link SearchIndex.add}: $1 the clinic, then one array per column, aligned, one message each; a
 * message's digests as one space-separated list (one array of arrays would need equal lengths).
 */
const addSql = `insert into message_search (clinic_id, message_id, conversation_id, sent_at, terms)
  select $1, m.id, m.conversation_id, m.sent_at, string_to_array(m.terms, ' ')::bigint[]
    from unnest($2::text[], $3::text[], $4::timestamptz[], $5::text[]) as m(id, conversation_id, sent_at, terms)
   where m.terms <> ''`;

const forgetSql = "delete from message_search where clinic_id = $1 and message_id = any($2::text[])";

/**
 * {@link SearchIndex.find}: $1 the clinic, $2 the query's digests, $3/$4 the searcher, $5 one
 * conversation or null, $6-$8 the last hit of the page before (or nulls), $9 the limit. A row's
 * digests are distinct, so the count of its digests among the query's is the number of the query's
 * words it holds.
 */
const findSql = `select s.message_id, s.conversation_id, s.sent_at, m.matched
    from message_search s
    cross join lateral (select count(*)::int as matched from unnest(s.terms) t where t = any($2::bigint[])) m
   where s.clinic_id = $1 and s.terms && $2::bigint[]
     and s.conversation_id in (select p.conversation_id from conversation_participants p
                                where p.clinic_id = $1 and p.person_kind = $3 and p.person_id = $4)
     and ($5::text is null or s.conversation_id = $5::text)
     and ($6::int is null or (m.matched, s.sent_at, s.message_id) < ($6::int, $7::timestamptz, $8::text))
   order by m.matched desc, s.sent_at desc, s.message_id desc
   limit $9`;

interface HitRow {
  message_id: string;
  conversation_id: string;
  sent_at: Date;
  matched: number;
}

/**
 * The parameters of {@link addSql} after the clinic: the one way index rows are made, for the
 * store and for anything that fills the index as the product does (the benchmark's seeding).
 */
export function searchIndexColumns(searchKey: Uint8Array, messages: readonly IndexedMessage[]): unknown[] {
  return [
    messages.map((m) => m.messageId),
    messages.map((m) => m.conversationId),
    // Array elements go as text (see columnsOf).
    messages.map((m) => m.sentAt.toISOString()),
    messages.map((m) => searchDigests(searchKey, m.terms).join(" ")),
  ];
}

export { addSql as searchIndexInsertSql };

/**
 * The clinic's search index (SRCH-1): digests keyed by the clinic's search key, so the table holds
 * no word as written. Without record keys (tools and the benchmark's baseline only) there is no
 * key to index with: nothing is indexed and nothing is found.
 */
export function postgresSearchIndex(
  statements: Statements,
  clinicId: string,
  keys?: RecordKeys,
): SearchIndex {
  return {
    async add(messages) {
      const seal = await sealOf(keys, clinicId, statements.db);
      if (!seal || messages.length === 0) return;
      await statements.write(addSql, [clinicId, ...searchIndexColumns(seal.searchKey, messages)]);
    },
    async forget(messageIds) {
      if (messageIds.length === 0) return;
      await statements.write(forgetSql, [clinicId, messageIds]);
    },
    async find(words, scope, page) {
      const seal = await sealOf(keys, clinicId, statements.db);
      if (!seal || words.length === 0) return [];
      const after = page.after;
      const rows = await statements.read<HitRow>(
        findSql,
        [
          clinicId,
          searchDigests(seal.searchKey, words),
          scope.person.kind,
          scope.person.id,
          scope.conversationId,
          after?.matched ?? null,
          after?.sentAt ?? null,
          after?.messageId ?? null,
          page.limit,
        ],
        { planEachTime: true },
      );
      return rows.map(
        (row): IndexHit => ({
          messageId: row.message_id,
          conversationId: row.conversation_id,
          sentAt: row.sent_at,
          matched: row.matched,
        }),
      );
    },
  };
}
