import type { Conversation, ConversationSummary, Participant } from "../../chat/Conversation";
import type {
  ConversationListQuery,
  ConversationStore,
  PostingFacts,
  PostingRequest,
} from "../../chat/ports";
import type { ParticipantFacts } from "../../people/Person";
import { type PersonRef, personKey, samePerson } from "../../people/people";
import { emergencyUntilOf } from "./emergency";
import { inboxStateOf } from "./inbox";
import { findSent } from "./messages";
import { type ClinicView, distinctConversations, personFacts, stateKey } from "./world";

/** Conversations, participants and read markers of the unit of work's clinic. */
export function inMemoryConversations(view: ClinicView): ConversationStore {
  const { world, clinicId, inClinic } = view;
  const unreadFor = (conversationId: string, person: PersonRef, readUpToSeq: number): number => {
    let count = 0;
    for (const message of world.messages.values()) {
      if (
        message.conversationId === conversationId &&
        message.seq > readUpToSeq &&
        message.body.kind !== "deleted" &&
        !samePerson(message.sender, person)
      ) {
        count++;
      }
    }
    return count;
  };

  const membershipsOf = (person: PersonRef): { conversation: Conversation; participant: Participant }[] => {
    const result: { conversation: Conversation; participant: Participant }[] = [];
    for (const [conversationId, participants] of world.participants) {
      const conversation = inClinic(world.conversations.get(conversationId));
      const participant = participants.find((p) => samePerson(p.person, person));
      if (conversation && participant) result.push({ conversation, participant });
    }
    return result;
  };

  const conversations: ConversationStore = {
    async get(id) {
      return inClinic(world.conversations.get(id));
    },
    async accessFacts(conversationId, person) {
      const conversation = inClinic(world.conversations.get(conversationId));
      return {
        clinic: world.clinics.get(clinicId) ?? null,
        person: personFacts(view, person),
        conversation,
        participants: conversation
          ? (world.participants.get(conversationId) ?? []).map(
              ({ person: ref }): ParticipantFacts => ({ ref, person: personFacts(view, ref) }),
            )
          : [],
        patient: conversation?.patientId ? inClinic(world.patients.get(conversation.patientId)) : null,
        ...emergencyUntilOf(view, conversationId, person),
      };
    },
    async standingsIn(conversationIds, person) {
      return conversationIds.flatMap((conversationId) => {
        const conversation = inClinic(world.conversations.get(conversationId));
        if (!conversation) return [];
        const participating = (world.participants.get(conversationId) ?? []).some((p) =>
          samePerson(p.person, person),
        );
        const { emergencyUntil } = emergencyUntilOf(view, conversationId, person);
        return [{ conversation, participating, emergencyUntil: emergencyUntil ?? null }];
      });
    },
    async claimKey(key) {
      // Units of work run one at a time here, so finding is claiming.
      for (const conversation of world.conversations.values()) {
        if (conversation.clinicId === clinicId && conversation.key === key) return conversation;
      }
      return null;
    },
    async reserveForPosting(requests) {
      distinctConversations(requests.map((r) => r.conversationId));
      // Units of work run one at a time here, so reading is reserving.
      return Promise.all(requests.map((r) => postingFacts(r)));
    },
    async openPatientConversations(openings) {
      if (new Set(openings.map((o) => o.conversation.key)).size !== openings.length)
        throw new Error("two openings of one conversation");
      const opened = [];
      for (const { conversation, people, quietly = [] } of openings) {
        const existing = await conversations.claimKey(conversation.key);
        const id = existing?.id ?? conversation.id;
        const quiet = (person: PersonRef) => quietly.some((q) => samePerson(q, person));
        const key = (person: PersonRef) => `${id}|${personKey(person)}`;
        if (!existing) {
          await conversations.create(conversation, people);
          for (const person of people.filter(quiet)) world.quietMembers.set(key(person), true);
          opened.push({ conversation, created: true, joined: [] });
          continue;
        }
        const joined = [];
        for (const person of people) {
          if (await conversations.participant(existing.id, person)) {
            if (!quiet(person)) world.quietMembers.delete(key(person));
            continue;
          }
          await conversations.addParticipant(existing.id, person, conversation.createdAt);
          if (quiet(person)) world.quietMembers.set(key(person), true);
          joined.push(person);
        }
        opened.push({ conversation: existing, created: false, joined });
      }
      return opened;
    },
    async create(conversation, participants) {
      if (conversation.clinicId !== clinicId)
        throw new Error("conversation outside the unit of work's clinic");
      for (const existing of world.conversations.values()) {
        if (existing.clinicId === clinicId && existing.key === conversation.key)
          throw new Error("duplicate conversation key");
      }
      world.conversations.set(conversation.id, conversation);
      world.participants.set(
        conversation.id,
        participants.map((person) => ({
          conversationId: conversation.id,
          person,
          addedAt: conversation.createdAt,
          readUpToSeq: 0,
        })),
      );
    },
    async participants(conversationId) {
      return inClinic(world.conversations.get(conversationId))
        ? [...(world.participants.get(conversationId) ?? [])]
        : [];
    },
    async participant(conversationId, person) {
      if (!inClinic(world.conversations.get(conversationId))) return null;
      return world.participants.get(conversationId)?.find((p) => samePerson(p.person, person)) ?? null;
    },
    async addParticipant(conversationId, person, at) {
      if (!inClinic(world.conversations.get(conversationId))) return;
      const list = world.participants.get(conversationId) ?? [];
      if (!list.some((p) => samePerson(p.person, person))) {
        list.push({ conversationId, person, addedAt: at, readUpToSeq: 0 });
        world.participants.set(conversationId, list);
      }
    },
    async rename(conversationId, name) {
      const conversation = world.conversations.get(conversationId);
      if (!conversation || !inClinic(conversation)) return;
      world.conversations.set(conversationId, { ...conversation, name });
    },
    async markRead(conversationId, person, seq) {
      if (!inClinic(world.conversations.get(conversationId))) return 0;
      const list = world.participants.get(conversationId) ?? [];
      const index = list.findIndex((p) => samePerson(p.person, person));
      const current = list[index];
      if (!current) return 0;
      const readUpToSeq = Math.max(current.readUpToSeq, seq);
      list[index] = { ...current, readUpToSeq };
      return readUpToSeq;
    },
    async listFor(person, query: ConversationListQuery) {
      // START-3: a conversation never written in is in nobody's list.
      const ordered = membershipsOf(person)
        .filter(({ conversation }) => conversation.lastSeq > 0)
        .filter(({ conversation }) => !world.quietMembers.has(`${conversation.id}|${personKey(person)}`))
        .sort(
          (a, b) =>
            b.conversation.lastActivityAt.getTime() - a.conversation.lastActivityAt.getTime() ||
            (b.conversation.id < a.conversation.id ? -1 : b.conversation.id > a.conversation.id ? 1 : 0),
        );
      let start = 0;
      if (query.cursor) {
        const [time, id] = query.cursor.split("|");
        const cursorTime = Number(time);
        start = ordered.findIndex(
          ({ conversation: c }) =>
            c.lastActivityAt.getTime() < cursorTime ||
            (c.lastActivityAt.getTime() === cursorTime && c.id < (id ?? "")),
        );
        if (start < 0) start = ordered.length;
      }
      const page = ordered.slice(start, start + query.limit);
      const items: ConversationSummary[] = page.map(({ conversation, participant }) => ({
        conversation,
        participants: (world.participants.get(conversation.id) ?? []).map((p) => p.person),
        unreadCount: unreadFor(conversation.id, person, participant.readUpToSeq),
        readUpToSeq: participant.readUpToSeq,
      }));
      const last = page[page.length - 1];
      const nextCursor =
        last && start + query.limit < ordered.length
          ? `${last.conversation.lastActivityAt.getTime()}|${last.conversation.id}`
          : null;
      return { items, nextCursor };
    },
    async totalUnread(person) {
      return membershipsOf(person).reduce(
        (sum, { conversation, participant }) =>
          sum + unreadFor(conversation.id, person, participant.readUpToSeq),
        0,
      );
    },
  };

  /** A post's facts: what `accessFacts` says, the message sent before, the recipients' states. */
  const postingFacts = async (request: PostingRequest): Promise<PostingFacts> => {
    const { conversationId, person } = request;
    const facts = await conversations.accessFacts(conversationId, person);
    const isParticipant = facts.participants.some((p) => samePerson(p.ref, person));
    const recipients = isParticipant
      ? facts.participants
          .map((p) => p.ref)
          .filter((ref) => !samePerson(ref, person) && request.recipientsToNotify.includes(ref.kind))
          .sort((a, b) => (personKey(a) < personKey(b) ? -1 : 1))
      : [];
    return {
      ...facts,
      sentBefore: facts.conversation ? findSent(view, conversationId, person, request.clientId) : null,
      recipientStates: recipients.map((ref) => ({
        person: ref,
        state: world.notificationStates.get(stateKey(view, ref)) ?? { status: "idle" },
      })),
      inbox: facts.conversation ? inboxStateOf(view, facts.conversation) : null,
    };
  };
  return conversations;
}
