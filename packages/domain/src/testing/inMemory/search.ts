import { samePerson } from "../../people/people";
import type { IndexHit, SearchIndex } from "../../search/ports";
import type { ClinicView } from "./world";

/** One message of the in-memory search index. */
export interface InMemorySearchEntry {
  readonly clinicId: string;
  readonly conversationId: string;
  readonly sentAt: Date;
  readonly terms: readonly string[];
}

/** The search index in memory, with the order and scope of the real one (SRCH-1). */
export function inMemorySearchIndex(view: ClinicView): SearchIndex {
  const { world, clinicId } = view;
  return {
    async add(messages) {
      for (const m of messages) {
        world.searchIndex.set(m.messageId, {
          clinicId,
          conversationId: m.conversationId,
          sentAt: m.sentAt,
          terms: [...m.terms],
        });
      }
    },
    async forget(messageIds) {
      for (const messageId of messageIds)
        if (world.searchIndex.get(messageId)?.clinicId === clinicId) world.searchIndex.delete(messageId);
    },
    async find(words, scope, page) {
      const readable = (conversationId: string) =>
        (scope.conversationId === null || scope.conversationId === conversationId) &&
        (world.participants.get(conversationId) ?? []).some((p) => samePerson(p.person, scope.person));
      const hits: IndexHit[] = [];
      for (const [messageId, entry] of world.searchIndex) {
        if (entry.clinicId !== clinicId || !readable(entry.conversationId)) continue;
        const matched = words.filter((w) => entry.terms.includes(w)).length;
        if (matched > 0)
          hits.push({ messageId, conversationId: entry.conversationId, sentAt: entry.sentAt, matched });
      }
      const order = (a: Omit<IndexHit, "conversationId">, b: Omit<IndexHit, "conversationId">) =>
        b.matched - a.matched ||
        b.sentAt.getTime() - a.sentAt.getTime() ||
        (a.messageId < b.messageId ? 1 : a.messageId > b.messageId ? -1 : 0);
      hits.sort(order);
      const after = page.after;
      return hits.filter((hit) => !after || order(after, hit) < 0).slice(0, page.limit);
    },
  };
}
