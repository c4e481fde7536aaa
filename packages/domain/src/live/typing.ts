import { type PersonRef, samePerson } from "../people/people";
import type { Subscriber } from "./subscriberPolicy";

/**
 * "Someone is typing" in a conversation (PRODUCT §8, "Both apps"): a passing signal between the
 * participants' screens, never stored and never audited. It carries ids only: the conversation
 * and who types, never what they type (the name is shown from the participants the screen knows).
 */
export interface TypingNotice {
  readonly clinicId: string;
  readonly conversationId: string;
  readonly person: PersonRef;
}

/**
 * How often a composer says again that its person is still typing: at most once per interval
 * while keys are pressed, so a fast typist costs one notice per few seconds.
 */
export const typingRepeatMs = 3_000;

/**
 * How long the indicator stays after the last notice: a little more than one repeat interval, so
 * steady typing keeps it up and a pause of a few seconds takes it down.
 */
export const typingShownMs = 5_000;

/** Why a typing notice is refused: the typist does not take part in the conversation (ELIG-4). */
export type TypingRefusal = "NOT_FOUND";

/**
 * May `typist` announce typing in `conversationId`? Only as one of its participants (ELIG-4), and
 * only while they see chat (ENT-3); someone else is answered as for a conversation that does not
 * exist, so the notice tells nothing of it.
 */
export function mayAnnounceTyping(typist: Subscriber, conversationId: string): TypingRefusal | null {
  if (!typist.seesChat || !typist.membership.has(conversationId)) return "NOT_FOUND";
  return null;
}

/**
 * Does this subscriber see the notice? Only another participant of the same conversation in the
 * same clinic (ELIG-4, ELIG-5) who sees chat; the typist's own screens are not told.
 */
export function receivesTyping(subscriber: Subscriber, notice: TypingNotice): boolean {
  if (notice.clinicId !== subscriber.clinicId) return false;
  if (samePerson(notice.person, subscriber.person)) return false;
  return subscriber.seesChat && subscriber.membership.has(notice.conversationId);
}

/**
 * The least time between two notices of one typist in one conversation that the server passes
 * on. Below the composer's repeat interval: a composer starts afresh after sending, so the first
 * keystroke of the next message is told at once; anything faster than this is a flood, dropped.
 */
export const typingFloorMs = 1_000;

/** Whether a notice from the same typist in the same conversation at `now` comes too soon after the one at `lastAt`. */
export function typingTooSoon(lastAt: number | undefined, now: number): boolean {
  return lastAt !== undefined && now - lastAt < typingFloorMs;
}
