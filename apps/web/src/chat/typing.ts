import { useMutation } from "@tanstack/react-query";
import { useCallback, useRef, useSyncExternalStore } from "react";
import { useTRPC } from "../rpc/trpc";
import type { PersonRef } from "../rpc/types";
import { personKey } from "./readMarkers";

/**
 * The typing indicator's timings, as the domain sets them (`typingRepeatMs`, `typingShownMs`; a
 * test holds them equal): a composer says "still typing" at most once per repeat interval (the
 * server drops anything sooner), and the indicator goes after a few seconds without a notice.
 */
export const typingRepeatMs = 3_000;
export const typingShownMs = 5_000;

interface Typist {
  readonly person: PersonRef;
  readonly until: number;
}

/** Who is typing where, in this tab: passing state, never stored beyond the page. */
const typists = new Map<string, Map<string, Typist>>();
const listeners = new Set<() => void>();
let version = 0;

function changed(): void {
  version++;
  for (const listener of [...listeners]) listener();
}

function expire(): void {
  const now = Date.now();
  let any = false;
  for (const [conversationId, people] of typists) {
    for (const [key, typist] of people)
      if (typist.until <= now) {
        people.delete(key);
        any = true;
      }
    if (people.size === 0) typists.delete(conversationId);
  }
  if (any) changed();
}

/** A notice came: `person` is typing in the conversation, for the next few seconds. */
export function noteTyping(conversationId: string, person: PersonRef): void {
  const people = typists.get(conversationId) ?? new Map<string, Typist>();
  typists.set(conversationId, people);
  people.set(personKey(person), { person, until: Date.now() + typingShownMs });
  window.setTimeout(expire, typingShownMs + 50);
  changed();
}

/** Their message arrived: they are no longer typing it. */
export function noteStoppedTyping(conversationId: string, person: PersonRef): void {
  if (typists.get(conversationId)?.delete(personKey(person))) changed();
}

/** Who is typing in the conversation now. */
export function typistsOf(conversationId: string): PersonRef[] {
  const now = Date.now();
  return [...(typists.get(conversationId)?.values() ?? [])]
    .filter((typist) => typist.until > now)
    .map((typist) => typist.person);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Who is typing in the conversation, kept current. */
export function useTypists(conversationId: string): PersonRef[] {
  useSyncExternalStore(subscribe, () => version);
  return typistsOf(conversationId);
}

/**
 * The composer's side: call the returned function on every keystroke; it tells the server at
 * most once per repeat interval, and `sent()` starts afresh after a message goes.
 */
export function useTypingNotice(conversationId: string): { typing: () => void; sent: () => void } {
  const trpc = useTRPC();
  const notice = useMutation(trpc.live.typing.mutationOptions());
  const lastAt = useRef(0);
  const { mutate } = notice;
  const typing = useCallback(() => {
    const now = Date.now();
    if (now - lastAt.current < typingRepeatMs) return;
    lastAt.current = now;
    // A lost notice only leaves the indicator off: nothing to retry or report.
    mutate({ conversationId }, { onError: () => undefined });
  }, [conversationId, mutate]);
  const sent = useCallback(() => {
    lastAt.current = 0;
  }, []);
  return { typing, sent };
}

/** "Dora Doctor is typing…", "Dora Doctor and Nina Nurse are typing…", "Several people are typing…". */
export function typingSentence(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}
