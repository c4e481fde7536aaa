import type { Clinic } from "../clinic/Clinic";
import { notifiableRecipients, notifyLocked, shouldNotify } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";
import type { MessageBody } from "./Message";
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
