import { type Mutation, useMutation, useMutationState, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { isRetryable } from "../rpc/errors";
import { useTRPCClient } from "../rpc/trpc";
import type { MessageView } from "../rpc/types";
import { putMessages } from "./historyCache";

/** What one send carries; the client id is chosen once and kept for every retry (MSG-1). */
export interface SendVariables {
  readonly conversationId: string;
  readonly clientId: string;
  readonly text: string;
}

/** A message on its way, shown at once in the conversation (optimistic). */
export interface OutgoingMessage {
  readonly clientId: string;
  readonly text: string;
  readonly status: "sending" | "failed";
  readonly error: unknown;
  readonly submittedAt: number;
}

const sendKey = (conversationId: string) => ["chat", "send", conversationId] as const;

/** A new client id for a send. */
export function newClientId(): string {
  return crypto.randomUUID();
}

/**
 * Sends text. The message shows at once; a send that could not reach the server (or failed on
 * its side) is retried with the same client id, so the server stores it once whatever happens
 * (MSG-1). A refusal stays on screen with the server's sentence and a way to retry or discard.
 */
export function useSendText(conversationId: string) {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationKey: sendKey(conversationId),
    mutationFn: (variables: SendVariables) => client.messages.send.mutate(variables),
    retry: (failures, error) => failures < 4 && isRetryable(error),
    retryDelay: (failures) => Math.min(1000 * 2 ** failures, 8000),
    onSuccess: (message: MessageView) => putMessages(queryClient, conversationId, [message]),
  });
  const send = useCallback(
    (text: string, clientId: string = newClientId()) => mutation.mutate({ conversationId, clientId, text }),
    [conversationId, mutation.mutate],
  );
  return send;
}

/**
 * The sends of a conversation that have not arrived yet: in flight or failed. A retried send
 * replaces its failed attempt (same client id); a send that arrived is in the history instead.
 */
export function useOutgoing(conversationId: string): OutgoingMessage[] {
  const attempts = useMutationState({
    filters: { mutationKey: sendKey(conversationId), exact: true },
    select: (m: Mutation<unknown, unknown, unknown, unknown>) => ({
      variables: m.state.variables as SendVariables | undefined,
      status: m.state.status,
      error: m.state.error,
      submittedAt: m.state.submittedAt,
    }),
  });
  const latest = new Map<string, OutgoingMessage | null>();
  for (const attempt of attempts) {
    const v = attempt.variables;
    if (!v) continue;
    latest.set(
      v.clientId,
      attempt.status === "success" || attempt.status === "idle"
        ? null
        : {
            clientId: v.clientId,
            text: v.text,
            status: attempt.status === "error" ? "failed" : "sending",
            error: attempt.error,
            submittedAt: attempt.submittedAt,
          },
    );
  }
  return [...latest.values()].filter((m): m is OutgoingMessage => m !== null);
}

/** Forgets failed sends of a client id ("Discard"). */
export function useDiscardOutgoing(conversationId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    (clientId: string) => {
      const cache = queryClient.getMutationCache();
      for (const m of cache.findAll({ mutationKey: sendKey(conversationId), exact: true })) {
        if ((m.state.variables as SendVariables | undefined)?.clientId === clientId) cache.remove(m);
      }
    },
    [conversationId, queryClient],
  );
}
