import type { ConversationEvent } from "../chat/ConversationEvent";
import type { Clinic } from "../clinic/Clinic";
import { canAct, type Person } from "../people/Person";
import { type PersonRef, samePerson } from "../people/people";
import type { DomainErrorCode } from "../shared/DomainError";

/**
 * A live subscriber's standing: whether they may still receive anything at all, and whether they
 * see chat (conversation events) or only the clinic-wide ones.
 */
export type SubscriberStanding =
  | { readonly allowed: true; readonly seesChat: boolean }
  | { readonly allowed: false; readonly reason: DomainErrorCode };

/**
 * The standing of a subscriber, from their person and clinic as read now (ENT-4: decided afresh
 * whenever the clinic's entitlements change). Someone the directory or the clinic no longer knows
 * gets NOT_FOUND; a deactivated staff member or a portal account that is not active may no longer
 * receive (ELIG-6). Everyone else sees their conversations, a patient of a clinic that paused
 * patient chat too: they stay readable for them (ENT-3).
 */
export function standingOf(clinic: Clinic | null, person: Person | null): SubscriberStanding {
  if (!clinic || !person) return { allowed: false, reason: "NOT_FOUND" };
  const acting = canAct(person);
  if (!acting.allowed) return { allowed: false, reason: acting.reason };
  return { allowed: true, seesChat: true };
}

/** What is known of a subscriber between events: who, where, the conversations they take part in. */
export interface Subscriber {
  readonly clinicId: string;
  readonly person: PersonRef;
  /** The conversations the person takes part in, as far as the events so far tell. */
  readonly membership: ReadonlySet<string>;
  /** From their standing: false while they may see only clinic-wide events. */
  readonly seesChat: boolean;
}

/** Codes that end a subscription for good: the person may no longer act (ELIG-6). */
export const endsSubscription: ReadonlySet<DomainErrorCode> = new Set([
  "STAFF_INACTIVE",
  "PATIENT_PORTAL_INACTIVE",
]);

function isSubscriber(ref: PersonRef | null, subscriber: Subscriber): boolean {
  return ref !== null && samePerson(ref, subscriber.person);
}

/**
 * Whether an event may concern the subscriber, from what is known without reading anything: their
 * clinic's clinic-wide events, their conversations, their own joins and every new conversation
 * (whose participants decide, see {@link seenEvents}). Nothing of another clinic (ELIG-5).
 */
export function mayConcern(subscriber: Subscriber, event: ConversationEvent): boolean {
  if (event.clinicId !== subscriber.clinicId) return false;
  const conversationId = event.conversationId;
  if (conversationId === null) return true;
  if (event.type === "conversation.created") return true;
  if (event.type === "participant.added" && isSubscriber(event.person, subscriber)) return true;
  return subscriber.membership.has(conversationId);
}

/**
 * May the subscriber see this event? Only events of their own clinic (ELIG-5); its clinic-wide
 * events always; a conversation's events only while they see chat and only as its participant
 * (ELIG-4: a patient sees only their own conversations).
 */
export function canSeeEvent(subscriber: Subscriber, event: ConversationEvent): boolean {
  if (event.clinicId !== subscriber.clinicId) return false;
  if (event.conversationId === null) return true;
  // INBOX-2: the inbox is the clinic's; its patient sees only what the clinic tells them.
  if (event.type === "inbox.changed" && subscriber.person.kind === "patient") return false;
  return subscriber.seesChat && subscriber.membership.has(event.conversationId);
}

/** The events of a run the subscriber sees, and the conversations the run shows them joining. */
export interface SeenEvents {
  readonly visible: ConversationEvent[];
  /** Conversations the subscriber joined in this run (their own `participant.added`). */
  readonly joined: string[];
}

/**
 * What the subscriber sees of a run of events, in order (see {@link canSeeEvent}). Their own
 * `participant.added` makes them a participant from that event on; `createdWith` holds the new
 * conversations (`conversation.created` of this run) the store says they take part in.
 */
export function seenEvents(
  subscriber: Subscriber,
  events: readonly ConversationEvent[],
  createdWith: ReadonlySet<string> = new Set(),
): SeenEvents {
  const membership = new Set(subscriber.membership);
  for (const id of createdWith) membership.add(id);
  const now: Subscriber = { ...subscriber, membership };
  const visible: ConversationEvent[] = [];
  const joined: string[] = [...createdWith].filter((id) => !subscriber.membership.has(id));
  for (const event of events) {
    const conversationId = event.conversationId;
    if (
      now.seesChat &&
      conversationId !== null &&
      event.clinicId === subscriber.clinicId &&
      event.type === "participant.added" &&
      isSubscriber(event.person, subscriber) &&
      !membership.has(conversationId)
    ) {
      membership.add(conversationId);
      joined.push(conversationId);
    }
    if (canSeeEvent(now, event)) visible.push(event);
  }
  return { visible, joined };
}

/** The new conversations of a run that the subscriber is not yet known to take part in. */
export function unknownNewConversations(
  subscriber: Subscriber,
  events: readonly ConversationEvent[],
): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.type !== "conversation.created" || event.conversationId === null) continue;
    if (event.clinicId !== subscriber.clinicId || subscriber.membership.has(event.conversationId)) continue;
    ids.add(event.conversationId);
  }
  return [...ids];
}
