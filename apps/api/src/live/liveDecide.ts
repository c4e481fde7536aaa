import {
  type Actor,
  type ClinicChat,
  type ConversationEvent,
  canSeeEvent,
  DomainError,
  endsSubscription,
  isDomainError,
  type MessageView,
  maxHistoryPage,
  type PersonRef,
  type Subscriber,
  samePerson,
  seenEvents,
  unknownNewConversations,
} from "@clinic-chat/domain";
import type { TRPCError } from "@trpc/server";
import { toTRPCError } from "../errors";
import type { LiveEvent } from "./LiveEvent";
import type { LiveHistoryReads } from "./liveReads";

/** The feed as the streams need it (the Postgres `LiveEventFeed` is one). */
export interface LiveFeedSource {
  position(): number;
  readonly ready: Promise<void>;
}

/** Which conversations a person takes part in (the Postgres `LiveMembership` is one). */
export interface LiveMembershipSource {
  conversationsOf(clinicId: string, person: PersonRef): Promise<Set<string>>;
}

/** The use cases, as for every other procedure. */
export interface LiveApi {
  readonly chat: ClinicChat;
}

/**
 * What the live path knows of one signed-in person of this process, shared by all their streams:
 * the domain's {@link Subscriber} (the conversations they take part in, whether they see chat),
 * kept current from the events and their standing.
 */
export interface LivePersonState extends Subscriber {
  /** The person as the domain's use cases see them (the address of their first stream). */
  readonly actor: Actor;
  /**
   * The addresses of the person's open streams now (a phone and a desktop may differ): a history
   * read on their behalf records a read for each distinct one (SEC-3).
   */
  addresses(): (string | null)[];
  readonly api: LiveApi;
  /** The hub's history reads: this person's reads of a tick share one unit of work with the clinic's others. */
  readonly reads: LiveHistoryReads;
  membership: Set<string>;
  seesChat: boolean;
}

/** One event as a person receives it: the event log's id and what they see of it. */
export interface LiveDelivery {
  readonly id: number;
  readonly event: LiveEvent;
}

/** Thrown (as its TRPCError) when the person's streams must end: they may no longer act (ELIG-6). */
export class LiveEnd extends Error {
  constructor(readonly error: TRPCError) {
    super(error.code);
  }
}

/**
 * Asks the domain for the person's standing (ELIG-6, ENT-3, ENT-4) and applies it: throws
 * {@link LiveEnd} when they may no longer receive; otherwise records whether they see chat.
 */
export async function checkStanding(state: LivePersonState): Promise<void> {
  const standing = await state.api.chat.subscriberStanding(state.actor);
  if (!standing.allowed) throw new LiveEnd(toTRPCError(new DomainError(standing.reason)));
  state.seesChat = standing.seesChat;
}

/** The views of new messages, by message id, read as the person; a conversation they cannot read gives none. */
async function loadMessages(
  state: LivePersonState,
  posted: readonly ConversationEvent[],
): Promise<Map<string, MessageView>> {
  const views = new Map<string, MessageView>();
  const seqsByConversation = new Map<string, number[]>();
  for (const event of posted) {
    if (event.conversationId === null || event.seq === null) continue;
    const seqs = seqsByConversation.get(event.conversationId) ?? [];
    seqs.push(event.seq);
    seqsByConversation.set(event.conversationId, seqs);
  }
  for (const [conversationId, seqs] of seqsByConversation) {
    seqs.sort((a, b) => a - b);
    let i = 0;
    while (i < seqs.length) {
      const first = seqs[i]!;
      let last = first;
      while (i < seqs.length && seqs[i]! - first < maxHistoryPage) last = seqs[i++]!;
      try {
        // Authorized and audited as the person reading the conversation (SEC-3), in the unit of
        // work of every read of this clinic asked in the same tick (liveHistoryReads).
        const page = await state.reads.read(state.api.chat, {
          actor: state.actor,
          addresses: state.addresses(),
          conversationId,
          beforeSeq: last + 1,
          limit: last - first + 1,
        });
        for (const message of page.messages) views.set(message.id, message);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        if (endsSubscription.has(error.code)) throw new LiveEnd(toTRPCError(error));
        if (error.code === "PATIENT_CHAT_OFF") state.seesChat = false;
        // NOT_FOUND: no longer a participant; its events are left out from now on.
        state.membership.delete(conversationId);
        break;
      }
    }
  }
  return views;
}

/**
 * What the person receives of a run of their clinic's events (in id order): what the domain's
 * `seenEvents` lets them see (ELIG-4, ELIG-5), new messages with their view read through
 * `readHistory` as the person (one read per conversation, authorized and audited, SEC-3; batched
 * with the clinic's other reads of the tick by `liveHistoryReads`, with readHistory's answers and
 * records). Keeps the membership current on the way (their joins, new conversations that include
 * them) and asks for their standing again when the clinic's entitlements change (ENT-4). Throws
 * {@link LiveEnd} when their streams must end.
 */
export async function decide(
  state: LivePersonState,
  events: readonly ConversationEvent[],
): Promise<LiveDelivery[]> {
  if (events.length === 0) return [];
  const me = state.person;
  // ENT-4: the clinic's entitlements; ELIG-6: this person's own standing, changed by an admin.
  if (
    events.some(
      (event) =>
        event.type === "clinic.entitlements_changed" ||
        (event.type === "team.member_changed" && event.person !== null && samePerson(event.person, me)),
    )
  )
    await checkStanding(state);
  const unknown = unknownNewConversations(state, events);
  const created = unknown.length > 0 ? await state.api.chat.conversationsJoinedOf(state.actor, unknown) : [];
  const seen = seenEvents(state, events, new Set(created));
  for (const id of seen.joined) state.membership.add(id);
  const messages = await loadMessages(
    state,
    seen.visible.filter((event) => event.type === "message.posted"),
  );
  const myRead = seen.visible.some(
    (event) => event.type === "conversation.read" && event.person !== null && samePerson(event.person, me),
  );
  const totalUnread = myRead ? await state.api.chat.unreadTotal(state.actor) : null;
  const deliveries: LiveDelivery[] = [];
  for (const event of seen.visible) {
    // A read refused on the way (no longer a participant) leaves the conversation's events out.
    if (!canSeeEvent(state, event)) continue;
    const live = toLiveEvent(event, messages, me, totalUnread);
    if (live) deliveries.push({ id: event.id, event: live });
  }
  return deliveries;
}

/** A domain refusal met on the way ends the streams with its code; anything else is the caller's to handle. */
export function asLiveEnd(error: unknown): LiveEnd | null {
  if (error instanceof LiveEnd) return error;
  if (isDomainError(error)) return new LiveEnd(toTRPCError(error));
  return null;
}

function toLiveEvent(
  event: ConversationEvent,
  messages: ReadonlyMap<string, MessageView>,
  me: PersonRef,
  totalUnread: number | null,
): LiveEvent | null {
  const conversationId = event.conversationId;
  if (event.type === "clinic.entitlements_changed") return { type: event.type, at: event.at };
  if (conversationId === null) return null;
  switch (event.type) {
    case "message.posted": {
      const message = event.messageId ? messages.get(event.messageId) : undefined;
      return message ? { type: event.type, conversationId, message } : null;
    }
    case "message.deleted":
      return event.messageId
        ? {
            type: event.type,
            conversationId,
            messageId: event.messageId,
            deletedBy: event.person,
            at: event.at,
          }
        : null;
    case "conversation.read":
      return {
        type: event.type,
        conversationId,
        person: event.person,
        readUpToSeq: event.seq ?? 0,
        totalUnread: event.person !== null && samePerson(event.person, me) ? totalUnread : null,
      };
    case "conversation.created":
      return { type: event.type, conversationId, by: event.person, at: event.at };
    case "participant.added":
      return { type: event.type, conversationId, person: event.person, at: event.at };
    case "conversation.renamed":
      return { type: event.type, conversationId, by: event.person, at: event.at };
    case "inbox.changed":
      return { type: event.type, conversationId, by: event.person, at: event.at };
    case "conversation.auto_replied":
    case "file.preview_ready":
      return { type: event.type, conversationId, at: event.at };
    case "team.member_changed":
      // Clinic-wide and for the server only: the member's standing is checked, nothing is shown.
      return null;
  }
}
