import type { Clinic } from "../clinic/Clinic";
import { notifyRecipients, shouldNotify } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";
import type { Message, MessageBody } from "./Message";

/**
 * Writes a new message with the next sequence number, its live event and its recipients'
 * notification scheduling, all in the caller's unit of work (the outbox of ARCHITECTURE.md).
 */
export async function postMessage(
  deps: Pick<ChatDeps, "clock" | "ids" | "links">,
  stores: Stores,
  actor: Actor,
  clinic: Clinic,
  conversation: Conversation,
  clientId: string,
  body: Exclude<MessageBody, { kind: "deleted" }>,
): Promise<Message> {
  const now = deps.clock.now();
  const seq = await stores.conversations.nextSeq(conversation.id, now);
  const message: Message = {
    id: deps.ids.newId(),
    clinicId: clinic.id,
    conversationId: conversation.id,
    seq,
    clientId,
    sender: actor.person,
    sentAt: now,
    body,
  };
  await stores.messages.create(message);
  await stores.events.append([
    {
      clinicId: clinic.id,
      conversationId: conversation.id,
      type: "message.posted",
      messageId: message.id,
      person: actor.person,
      seq,
      at: now,
    },
  ]);
  const recipients = (await stores.conversations.participants(conversation.id))
    .map((p) => p.person)
    .filter((person) => shouldNotify(actor.person, person));
  await notifyRecipients(deps, stores, clinic, recipients, {
    type: "message.posted",
    message: { messageId: message.id, conversationId: conversation.id, seq },
  });
  return message;
}
