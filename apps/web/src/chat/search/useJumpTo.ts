import { useEffect } from "react";

/** What {@link useJumpTo} needs of the loaded history. */
interface LoadedHistory {
  readonly hasNextPage: boolean;
  readonly isFetchingNextPage: boolean;
  fetchNextPage(): unknown;
}

/** How long a message opened from a search stays marked. */
const markedForMs = 4000;

/**
 * SRCH-1: opening a conversation at a message found by search. Older pages load until the message
 * is there (or the history has no more); the list then opens at it, and it is marked for a moment.
 * `waiting` holds the view back until then, so it does not open at the newest first.
 */
export function useJumpTo(
  jumpTo: { readonly messageId: string; readonly seq: number } | undefined,
  messages: readonly { readonly id: string; readonly seq: number }[],
  history: LoadedHistory,
): { readonly waiting: boolean; readonly startAtKey: string | null } {
  const found = jumpTo ? messages.some((m) => m.id === jumpTo.messageId) : false;
  const oldestSeq = messages[0]?.seq ?? 0;
  const needOlder =
    Boolean(jumpTo) && !found && history.hasNextPage && (oldestSeq === 0 || oldestSeq > (jumpTo?.seq ?? 0));
  useEffect(() => {
    if (needOlder && !history.isFetchingNextPage) void history.fetchNextPage();
  });
  useEffect(() => {
    if (!found || !jumpTo) return;
    const row = document.querySelector(`[data-message-id="${CSS.escape(jumpTo.messageId)}"]`);
    row?.classList.add("message--found");
    const timer = setTimeout(() => row?.classList.remove("message--found"), markedForMs);
    return () => clearTimeout(timer);
  }, [found, jumpTo]);
  return { waiting: needOlder, startAtKey: found && jumpTo ? jumpTo.messageId : null };
}
