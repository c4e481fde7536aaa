import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../rpc/trpc";
import type { SearchResult } from "../rpc/types";

/** A name reduced for matching: lower case, accents dropped ("Zoë" → "zoe"). */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * True when every word typed occurs somewhere in the name, not only at its start: "kaf" finds
 * "Okafor", "lee jor" finds "Jordan Lee".
 */
export function nameMatches(name: string, query: string): boolean {
  const target = folded(name);
  return folded(query)
    .split(/\s+/u)
    .filter(Boolean)
    .every((word) => target.includes(word));
}

/**
 * The signed-in staff member's active teammates (a clinic's team is small enough to hold), to
 * browse with nothing typed and filter by any part of a name as they type.
 */
export function useTeammates(
  query: string,
  enabled = true,
): {
  readonly results: readonly SearchResult[] | null;
  readonly loading: boolean;
  readonly error: unknown;
} {
  const trpc = useTRPC();
  const team = useQuery(trpc.people.teammates.queryOptions(undefined, { staleTime: 60_000, enabled }));
  return {
    results: team.data ? team.data.filter((r) => nameMatches(r.person.name, query)) : null,
    loading: enabled && team.isPending,
    error: team.isError ? team.error : null,
  };
}
