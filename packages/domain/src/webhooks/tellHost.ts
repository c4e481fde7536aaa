import type { Conversation } from "../chat/Conversation";
import type { Message } from "../chat/Message";
import type { Clinic } from "../clinic/Clinic";
import type { InboxState } from "../inbox/InboxState";
import { type PersonRef, samePerson } from "../people/people";
import type { Stores } from "../shared/UnitOfWork";
import type { WebhookEventDraft } from "./WebhookEvent";

/**
 * Records what the host system hears of a change (INTEG-4), in the unit of work of the change, so
 * the events commit with it or not at all and nothing is sent while the change is made. Only
 * patient conversations concern the host: Team Chat is the clinic's own. A clinic with no enabled
 * endpoint records nothing.
 */
export async function tellHost(
  stores: Stores,
  clinic: Clinic,
  events: readonly WebhookEventDraft[],
): Promise<void> {
  if (!clinic.webhooksActive || events.length === 0) return;
  await stores.webhooks.record(events);
  for (const conversationId of new Set(events.map((e) => e.conversationId))) {
    await stores.webhookQueue.schedule(clinic.id, conversationId);
  }
}

/**
 * A posted message: its conversation started with its first message (START-3: before that
 * nobody sees it), and every other participant's unread count changed.
 */
export function eventsOfPost(
  conversation: Pick<Conversation, "kind">,
  message: Message,
  participants: readonly PersonRef[],
): WebhookEventDraft[] {
  if (conversation.kind !== "patient") return [];
  const events: WebhookEventDraft[] = [];
  const { conversationId, sentAt: at } = message;
  if (message.seq === 1) events.push({ type: "conversation.started", conversationId, at });
  for (const person of participants) {
    if (!samePerson(person, message.sender)) {
      events.push({ type: "unread_count.changed", conversationId, person, at });
    }
  }
  return events;
}

/** A read marker that moved: the reader's unread count changed. */
export function eventsOfRead(
  conversation: Pick<Conversation, "kind" | "id">,
  reader: PersonRef,
  at: Date,
): WebhookEventDraft[] {
  if (conversation.kind !== "patient") return [];
  return [{ type: "unread_count.changed", conversationId: conversation.id, person: reader, at }];
}

/** A deleted message no longer counts as unread for those who had not read it (MSG-3). */
export function eventsOfDeletion(
  conversation: Pick<Conversation, "kind" | "id">,
  message: Pick<Message, "sender" | "seq">,
  participants: readonly { readonly person: PersonRef; readonly readUpToSeq: number }[],
  at: Date,
): WebhookEventDraft[] {
  if (conversation.kind !== "patient") return [];
  return participants
    .filter((p) => !samePerson(p.person, message.sender) && p.readUpToSeq < message.seq)
    .map((p) => ({ type: "unread_count.changed", conversationId: conversation.id, person: p.person, at }));
}

/** An inbox change (INBOX-1, INBOX-2): a closing, and an assignee who changed. */
export function eventsOfInboxChange(before: InboxState, after: InboxState, at: Date): WebhookEventDraft[] {
  const { conversationId } = after;
  const events: WebhookEventDraft[] = [];
  if (before.assigneeId !== after.assigneeId) {
    events.push({ type: "conversation.assigned", conversationId, assigneeId: after.assigneeId, at });
  }
  if (before.status !== "closed" && after.status === "closed") {
    events.push({ type: "conversation.closed", conversationId, at });
  }
  return events;
}
