import type { Clinic } from "../clinic/Clinic";
import type { NotificationState } from "../notifications/model";
import { notifiableRecipients, notifyLocked, shouldNotify } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import { personKey } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";
import type { PostAccess } from "./loadConversation";
import type { Message, MessageBody } from "./Message";
import type { ParticipantFacts, PostedMessage } from "./ports";

/**
 * Posts a new message once per client id (MSG-1): with the next sequence number, its live event
 * and its recipients' notification scheduling, all in the caller's unit of work (the outbox of
 * ARCHITECTURE.md). When the sender already used the client id, nothing is written and that
 * message comes back with `created: false`. `participants` are the conversation's with their
 * directory facts, as loaded with it.
 */
export async function postMessage(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  actor: Actor,
  clinic: Clinic,
  conversation: Conversation,
  participants: readonly ParticipantFacts[],
  clientId: string,
  body: Exclude<MessageBody, { kind: "deleted" }>,
): Promise<PostedMessage> {
  const recipients = notifiableRecipients(participants.filter((p) => shouldNotify(actor.person, p.ref)));
  // The recipients' states are locked alongside the post (one round trip on a database); after a
  // retry they are simply left as they are.
  const [posted, states] = await Promise.all([
    stores.messages.postOnce({
      id: deps.ids.newId(),
      clinicId: clinic.id,
      conversationId: conversation.id,
      clientId,
      sender: actor.person,
      sentAt: deps.clock.now(),
      body,
    }),
    recipients.length > 0 ? stores.notifications.lockStates(recipients.map((r) => r.person)) : [],
  ]);
  if (!posted.created) return posted;
  const { message } = posted;
  await notifyLocked(deps, stores, clinic, recipients, states, {
    type: "message.posted",
    message: { messageId: message.id, conversationId: conversation.id, seq: message.seq },
  });
  return posted;
}

/**
 * Posts a new message into a conversation read with {@link loadConversationForPost}, whose lock
 * this unit of work holds and whose client id was not used (`access.sentBefore` is null): number
 * `lastSeq + 1`, its live event and its recipients' notification scheduling (NOTIF-1, NOTIF-3),
 * with the states locked by that read. Nothing here waits for the database: on PostgreSQL it all
 * goes out with the COMMIT.
 */
export async function postUnderLock(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  actor: Actor,
  access: PostAccess,
  clientId: string,
  body: Exclude<MessageBody, { kind: "deleted" }>,
): Promise<Message> {
  const message = draftUnderLock(deps, actor, access, clientId, body);
  await stores.messages.post(message);
  await notifyPosted(deps, stores, actor, access, message);
  return message;
}

/** The message {@link postUnderLock} posts: numbered `lastSeq + 1` of the locked conversation. */
export function draftUnderLock(
  deps: Pick<ChatDeps, "clock" | "ids">,
  actor: Actor,
  access: PostAccess,
  clientId: string,
  body: Exclude<MessageBody, { kind: "deleted" }>,
): Message {
  return {
    id: deps.ids.newId(),
    clinicId: access.clinic.id,
    conversationId: access.conversation.id,
    seq: access.conversation.lastSeq + 1,
    clientId,
    sender: actor.person,
    sentAt: deps.clock.now(),
    body,
  };
}

/**
 * The notification scheduling of a message posted under the lock of `access` (NOTIF-1, NOTIF-3).
 * `current` holds states this unit of work changed since `access` locked them (several posts in
 * one unit of work can share a recipient): those count instead of the locked ones, and each
 * recipient's new state is written back to it.
 */
export async function notifyPosted(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  actor: Actor,
  access: PostAccess,
  message: Message,
  current: Map<string, NotificationState> = new Map(),
): Promise<void> {
  const recipients = notifiableRecipients(
    access.participants.filter((p) => shouldNotify(actor.person, p.ref)),
  );
  if (recipients.length === 0) return;
  const locked = new Map(access.recipientStates.map((s) => [personKey(s.person), s.state]));
  // Everyone notifiable was locked by the read; one who joined between its statements is locked now.
  const missing = recipients.filter((r) => !locked.has(personKey(r.person)));
  if (missing.length > 0) {
    const states = await stores.notifications.lockStates(missing.map((r) => r.person));
    for (const [i, r] of missing.entries()) locked.set(personKey(r.person), states[i] ?? { status: "idle" });
  }
  const states = recipients.map((r): NotificationState => {
    const key = personKey(r.person);
    return current.get(key) ?? locked.get(key) ?? { status: "idle" };
  });
  const after = await notifyLocked(deps, stores, access.clinic, recipients, states, {
    type: "message.posted",
    message: { messageId: message.id, conversationId: message.conversationId, seq: message.seq },
  });
  for (const [i, r] of recipients.entries()) current.set(personKey(r.person), after[i] ?? states[i]!);
}
