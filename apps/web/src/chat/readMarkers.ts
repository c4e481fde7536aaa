import { type QueryClient, useQuery } from "@tanstack/react-query";
import type { PersonRef } from "../rpc/types";

/** How far each participant has read a conversation (MSG-3), by `kind:id`, as learnt live. */
export type ReadMarkers = Readonly<Record<string, number>>;

/** The cache key of a conversation's read markers. */
export const readMarkersKey = (conversationId: string) => ["chat", "read", conversationId] as const;

/** `staff:ID` / `patient:ID`. */
export function personKey(person: PersonRef): string {
  return `${person.kind}:${person.id}`;
}

/** Notes that someone read a conversation up to `seq`; markers only move forward. */
export function noteRead(queryClient: QueryClient, conversationId: string, person: PersonRef, seq: number) {
  queryClient.setQueryData<ReadMarkers>(readMarkersKey(conversationId), (markers = {}) => {
    const key = personKey(person);
    return (markers[key] ?? 0) >= seq ? markers : { ...markers, [key]: seq };
  });
}

/**
 * The markers loaded with the conversation, moved forward by any read learnt live since: a marker
 * never goes back, whichever arrived first.
 */
export function withLoadedMarkers(
  live: ReadMarkers,
  loaded: readonly { readonly person: PersonRef; readonly readUpToSeq: number }[],
): ReadMarkers {
  const merged: Record<string, number> = { ...live };
  for (const { person, readUpToSeq } of loaded) {
    const key = personKey(person);
    merged[key] = Math.max(merged[key] ?? 0, readUpToSeq);
  }
  return merged;
}

/** The read markers of a conversation learnt live since it was opened; never fetched. */
export function useReadMarkers(conversationId: string): ReadMarkers {
  return (
    useQuery({
      queryKey: readMarkersKey(conversationId),
      queryFn: () => ({}) as ReadMarkers,
      staleTime: Number.POSITIVE_INFINITY,
      enabled: false,
    }).data ?? {}
  );
}
