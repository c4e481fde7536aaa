import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPCClient } from "../rpc/trpc";
import type { ConversationSummary, PersonView } from "../rpc/types";

/** The cache key of the conversation list (all its pages). */
export const conversationListKey = ["chat", "conversations"] as const;

/**
 * The signed-in person's conversations, most recent first, with unread counts (MSG-3). Pages are
 * fetched by hand rather than with tRPC's infinite options, which add a `direction` field the
 * API's strict inputs refuse.
 */
export function useConversations() {
  const client = useTRPCClient();
  const query = useInfiniteQuery({
    queryKey: conversationListKey,
    queryFn: ({ pageParam }) => client.conversations.list.query({ limit: 30, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const pages = query.data?.pages ?? [];
  const items: ConversationSummary[] = pages.flatMap((p) => p.items);
  const people = new Map<string, PersonView>();
  for (const page of pages) for (const p of page.people) people.set(`${p.kind}:${p.id}`, p);
  return {
    query,
    items,
    people,
    totalUnread: pages[0]?.totalUnread ?? 0,
  };
}
