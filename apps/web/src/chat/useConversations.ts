import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "../api/trpc";
import type { ConversationSummary, PersonView } from "../api/types";

/** The signed-in person's conversations, most recent first, with unread counts (MSG-3). */
export function useConversations() {
  const trpc = useTRPC();
  const query = useInfiniteQuery(
    trpc.conversations.list.infiniteQueryOptions(
      { limit: 30 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
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
