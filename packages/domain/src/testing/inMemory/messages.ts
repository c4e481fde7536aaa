import type { Message, MessageBody } from "../../chat/Message";
import type { HistoryQuery, MessageStore } from "../../chat/ports";
import { type PersonRef, personKey, samePerson } from "../../people/people";
import { DomainError } from "../../shared/DomainError";
import { type ClinicView, distinctConversations } from "./world";

/** The message this sender already sent with this client id in this conversation (MSG-1). */
export function findSent(
  view: ClinicView,
  conversationId: string,
  sender: PersonRef,
  clientId: string,
): Message | null {
  for (const message of view.world.messages.values()) {
    if (
      message.clinicId === view.clinicId &&
      message.conversationId === conversationId &&
      message.clientId === clientId &&
      samePerson(message.sender, sender)
    ) {
      return message;
    }
  }
  return null;
}

/** Messages of the unit of work's clinic; erasing one replaces its content for good (DEL-2). */
export function inMemoryMessages(view: ClinicView): MessageStore {
  const { world, clinicId, inClinic } = view;

  const postOne = (message: Message): void => {
    if (message.clinicId !== clinicId) throw new Error("message outside the unit of work's clinic");
    const conversation = inClinic(world.conversations.get(message.conversationId));
    if (!conversation) throw new DomainError("NOT_FOUND");
    if (message.seq !== conversation.lastSeq + 1) throw new Error("a post out of sequence");
    if (world.messages.has(message.id)) throw new Error("duplicate message id");
    if (findSent(view, message.conversationId, message.sender, message.clientId)) {
      throw new Error("duplicate client id for this sender and conversation");
    }
    world.messages.set(message.id, message);
    const lastActivityAt = new Date(
      Math.max(message.sentAt.getTime(), conversation.lastActivityAt.getTime()),
    );
    world.conversations.set(conversation.id, { ...conversation, lastSeq: message.seq, lastActivityAt });
    // Someone else writing makes a quiet member's conversation show (BCAST-1).
    for (const p of world.participants.get(conversation.id) ?? []) {
      if (!samePerson(p.person, message.sender))
        world.quietMembers.delete(`${conversation.id}|${personKey(p.person)}`);
    }
    world.events.push({
      id: world.nextEventId++,
      clinicId,
      conversationId: message.conversationId,
      type: "message.posted",
      messageId: message.id,
      person: message.sender,
      seq: message.seq,
      at: message.sentAt,
    });
  };

  return {
    async get(id) {
      return inClinic(world.messages.get(id));
    },
    async getMany(ids) {
      return [...new Set(ids)].flatMap((id) => inClinic(world.messages.get(id)) ?? []);
    },
    async findByClientId(conversationId, sender, clientId) {
      return findSent(view, conversationId, sender, clientId);
    },
    async post(messages) {
      distinctConversations(messages.map((m) => m.conversationId));
      for (const message of messages) postOne(message);
    },
    async history(conversationId, query: HistoryQuery) {
      return [...world.messages.values()]
        .filter(
          (m) =>
            m.clinicId === clinicId &&
            m.conversationId === conversationId &&
            (query.beforeSeq === undefined || query.beforeSeq === null || m.seq < query.beforeSeq),
        )
        .sort((a, b) => b.seq - a.seq)
        .slice(0, query.limit);
    },
    async erase(ids, body: Extract<MessageBody, { kind: "deleted" }>) {
      for (const id of ids) {
        const message = inClinic(world.messages.get(id));
        if (message) world.messages.set(id, { ...message, body });
      }
    },
  };
}
