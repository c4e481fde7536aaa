import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../rpc/trpc";
import type { SearchResult } from "../rpc/types";

const debounceMs = 250;

/**
 * Name search as the person types (START-2). A mutation, because a name must not travel in a URL
 * (SEC-5); answers that arrive after a newer query was typed are dropped. Nothing is searched
 * while not `enabled` (the field then filters something else).
 */
export function usePeopleSearch(kind: "patient" | "staff", enabled = true) {
  const trpc = useTRPC();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<readonly SearchResult[] | null>(null);
  const latest = useRef(0);
  const search = useMutation(trpc.people.search.mutationOptions());
  const { mutateAsync } = search;

  useEffect(() => {
    const text = query.trim();
    const n = ++latest.current;
    if (!text || !enabled) {
      setResults(null);
      return;
    }
    const timer = window.setTimeout(() => {
      mutateAsync({ kind, query: text.slice(0, 100), limit: 20 }).then(
        (found) => {
          if (n === latest.current) setResults(found);
        },
        () => {
          if (n === latest.current) setResults(null);
        },
      );
    }, debounceMs);
    return () => window.clearTimeout(timer);
  }, [enabled, kind, mutateAsync, query]);

  return {
    query,
    setQuery,
    results,
    searching: search.isPending,
    error: search.isError && !search.isPending ? search.error : null,
  };
}
