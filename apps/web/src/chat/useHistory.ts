import { type QueryClient, useInfiniteQuery } from "@tanstack/react-query";
import type { ApiClient } from "../rpc/trpc";
import { useTRPCClient } from "../rpc/trpc";
import { type HistoryData, historyKey, historyPageSize, newestSeq, putMessages } from "./historyCache";

/**
 * A conversation's history, a page at a time from the newest; `fetchNextPage` loads older
 * messages (the cursor is a sequence number, never an offset). Live events keep it current, so
 * it is never refetched in the background: a refetch would reload every page scrolled so far.
 */
export function useHistory(conversationId: string) {
  const client = useTRPCClient();
  return useInfiniteQuery({
    queryKey: historyKey(conversationId),
    queryFn: ({ pageParam }) =>
      client.conversations.history.query({ conversationId, beforeSeq: pageParam, limit: historyPageSize }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBeforeSeq,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

/**
 * Brings a loaded history up to date after a live event: fetches the newest page and merges it,
 * which is idempotent (replayed or repeated events change nothing). When more arrived than one
 * page holds, the history is simply loaded again.
 */
export async function catchUpHistory(queryClient: QueryClient, client: ApiClient, conversationId: string) {
  const data = queryClient.getQueryData<HistoryData>(historyKey(conversationId));
  if (!data) return;
  const known = newestSeq(data);
  const page = await client.conversations.history.query({ conversationId, limit: historyPageSize });
  const oldestFetched = page.messages.at(-1)?.seq ?? 0;
  if (known > 0 && oldestFetched > known + 1 && page.nextBeforeSeq !== null) {
    await queryClient.invalidateQueries({ queryKey: historyKey(conversationId) });
    return;
  }
  putMessages(queryClient, conversationId, page.messages);
}
