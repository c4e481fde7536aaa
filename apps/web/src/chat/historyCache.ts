import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { HistoryPage, MessageView, PersonRef } from "../rpc/types";

/** How many messages one history page holds. */
export const historyPageSize = 30;

/** The cache key of a conversation's history (pages of messages, newest page first). */
export function historyKey(conversationId: string) {
  return ["chat", "history", conversationId] as const;
}

/** The cache entry: pages of newest-first messages, each page older than the one before. */
export type HistoryData = InfiniteData<HistoryPage, unknown>;

/** The messages of all loaded pages, oldest first, as the conversation shows them. */
export function messagesOldestFirst(data: HistoryData | undefined): MessageView[] {
  if (!data) return [];
  return data.pages.flatMap((page) => page.messages).toReversed();
}

/** The newest sequence number loaded, or 0. */
export function newestSeq(data: HistoryData | undefined): number {
  return data?.pages[0]?.messages[0]?.seq ?? 0;
}

/**
 * Puts messages into the loaded history: new ones at the top of the newest page, known ones
 * (by id) replaced, so whatever order and however often they arrive the result is the same
 * (a live event, a send's answer and a refetch may all bring the same message, MSG-2).
 */
export function mergeMessages(data: HistoryData, incoming: readonly MessageView[]): HistoryData {
  const byId = new Map(incoming.map((m) => [m.id, m]));
  const pages = data.pages.map((page) => ({
    ...page,
    messages: page.messages.map((m) => {
      const update = byId.get(m.id);
      if (!update) return m;
      byId.delete(m.id);
      return update;
    }),
  }));
  const fresh = [...byId.values()].sort((a, b) => b.seq - a.seq);
  if (fresh.length === 0) return { ...data, pages };
  const [first, ...rest] = pages;
  const newest: HistoryPage = first
    ? { ...first, messages: [...fresh, ...first.messages].sort((a, b) => b.seq - a.seq) }
    : { messages: fresh, nextBeforeSeq: null };
  return { ...data, pages: [newest, ...rest] };
}

/** Adds or replaces messages in a conversation's cached history, if it is loaded. */
export function putMessages(
  queryClient: QueryClient,
  conversationId: string,
  messages: readonly MessageView[],
) {
  queryClient.setQueryData<HistoryData>(historyKey(conversationId), (data) =>
    data ? mergeMessages(data, messages) : data,
  );
}

/** Shows a message as deleted in place (DEL-3): its content leaves the cache at once. */
export function markDeleted(
  queryClient: QueryClient,
  conversationId: string,
  messageId: string,
  deletedBy: PersonRef,
  deletedAt: string,
) {
  queryClient.setQueryData<HistoryData>(historyKey(conversationId), (data) => {
    if (!data) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        messages: page.messages.map(
          (m): MessageView =>
            m.id === messageId ? { ...m, body: { kind: "deleted", deletedAt, deletedBy } } : m,
        ),
      })),
    };
  });
}
