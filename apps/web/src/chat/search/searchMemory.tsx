import { createContext, type ReactNode, useContext, useState } from "react";

/** The search a staff member has open (SRCH-1). */
export interface OpenSearch {
  /** The words searched; null before the first search or once the box is cleared. */
  readonly query: string | null;
}

type Memory = readonly [OpenSearch | null, (search: OpenSearch | null) => void];

const SearchMemory = createContext<Memory | null>(null);

/**
 * Keeps the open search while its staff member moves between conversations, so that opening a
 * found message and coming back (Back, or the results beside the conversation) finds the results
 * again. Held in memory by the signed-in frame only: never in the address bar or storage, and
 * gone when the frame is (signing out).
 */
export function SearchMemoryProvider({ children }: { children: ReactNode }) {
  const memory = useState<OpenSearch | null>(null);
  return <SearchMemory.Provider value={memory}>{children}</SearchMemory.Provider>;
}

/** The open search and its setter; a page outside the provider keeps its own. */
export function useSearchMemory(): Memory {
  const shared = useContext(SearchMemory);
  const own = useState<OpenSearch | null>(null);
  return shared ?? own;
}
