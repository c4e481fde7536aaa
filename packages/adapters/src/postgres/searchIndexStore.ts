import type { KeyObject } from "node:crypto";
import type { IndexedMessage, SearchIndex } from "@clinic-chat/domain";
import type { RecordKeys } from "../keys/recordKeys";
import { searchDigests } from "../keys/searchDigests";
import { sealOf } from "./messageStore";
import type { Statements } from "./Statements";
import { findHits, type SearchReading, searchWindow } from "./searchQueries";

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
 * The parameters of {@link addSql} after the clinic: the one way index rows are made, for the
 * store and for anything that fills the index as the product does (the benchmark's seeding).
 */
export function searchIndexColumns(searchKey: KeyObject, messages: readonly IndexedMessage[]): unknown[] {
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
  reading: SearchReading = searchWindow,
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
      if (!seal || words.length === 0 || page.limit <= 0) return [];
      const digests = [...new Set(searchDigests(seal.searchKey, words))];
      return findHits(statements, clinicId, digests, scope, page, reading);
    },
  };
}
