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

/** The read markers of a conversation; filled by live events, never fetched. */
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
