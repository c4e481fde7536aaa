import type { ConversationEvent } from "../chat/ConversationEvent";
import { findPerson } from "../people/loadPerson";
import type { Actor } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import { type SubscriberStanding, standingOf } from "./subscriberPolicy";

/** What a live subscription reads: the unit of work only. */
type SubscriptionDeps = Pick<ChatDeps, "uow">;

/**
 * The subscriber's standing now (ELIG-6, ENT-3, ENT-4): their person and clinic read fresh, judged
 * by {@link standingOf}. Answers rather than throws, so the caller decides how a subscription ends.
 */
export function subscriberStanding(deps: SubscriptionDeps, actor: Actor): Promise<SubscriberStanding> {
  return deps.uow.run(actor.clinicId, async (stores) =>
    standingOf(await stores.clinics.get(actor.clinicId), await findPerson(stores, actor.person)),
  );
}

/** Which of these new conversations the subscriber takes part in (ELIG-4: only those are theirs to see). */
export function conversationsJoinedOf(
  deps: SubscriptionDeps,
  actor: Actor,
  conversationIds: readonly string[],
): Promise<string[]> {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return deps.uow.run(actor.clinicId, async (stores) => {
    const joined: string[] = [];
    for (const id of conversationIds)
      if (await stores.conversations.participant(id, actor.person)) joined.push(id);
    return joined;
  });
}

/** The subscriber's unread total across their conversations now (MSG-3). */
export function unreadTotal(deps: SubscriptionDeps, actor: Actor): Promise<number> {
  return deps.uow.run(actor.clinicId, (stores) => stores.conversations.totalUnread(actor.person));
}

/**
 * A page of the clinic's events after `afterId`, in order, for a subscriber catching up after a
 * reconnect (MSG-2). Only the actor's clinic is read (ELIG-5); what of it they see is decided per
 * event by `seenEvents`.
 */
export function eventsAfter(
  deps: SubscriptionDeps,
  actor: Actor,
  afterId: number,
  limit: number,
): Promise<ConversationEvent[]> {
  return deps.uow.run(actor.clinicId, (stores) => stores.events.after(afterId, limit));
}
