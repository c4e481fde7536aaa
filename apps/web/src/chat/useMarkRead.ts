import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "../rpc/trpc";
import { conversationListKey } from "./useConversations";

function pageIsSeen(): boolean {
  return document.visibilityState === "visible" && document.hasFocus();
}

/**
 * Marks the open conversation read up to its newest message while the person can see it (MSG-3):
 * not from a background tab or a minimised window, and never backwards.
 */
export function useMarkRead(conversationId: string, newestSeq: number, readUpToSeq: number) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sent = useRef(readUpToSeq);
  const [seen, setSeen] = useState(pageIsSeen);
  const markRead = useMutation(
    trpc.conversations.markRead.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationListKey }),
    }),
  );

  useEffect(() => {
    const update = () => setSeen(pageIsSeen());
    document.addEventListener("visibilitychange", update);
    window.addEventListener("focus", update);
    window.addEventListener("blur", update);
    return () => {
      document.removeEventListener("visibilitychange", update);
      window.removeEventListener("focus", update);
      window.removeEventListener("blur", update);
    };
  }, []);

  const { mutate } = markRead;
  useEffect(() => {
    if (!seen || newestSeq <= Math.max(sent.current, readUpToSeq)) return;
    sent.current = newestSeq;
    mutate({ conversationId, upToSeq: newestSeq });
  }, [conversationId, mutate, newestSeq, readUpToSeq, seen]);
}
