import type { PersonRef } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { Conversation } from "./Conversation";

/**
 * START-1: returns the conversation with this key, creating it if there is none, and makes sure
 * every one of `people` is a participant. Writes the live events for what changed.
 */
export async function openOrCreateConversation(
  deps: Pick<ChatDeps, "clock" | "ids">,
  stores: Stores,
  spec: {
    clinicId: string;
    kind: Conversation["kind"];
    key: string;
    patientId: string | null;
    people: readonly PersonRef[];
    by: PersonRef;
  },
): Promise<{ conversation: Conversation; created: boolean }> {
  const now = deps.clock.now();
  const existing = await stores.conversations.claimKey(spec.key);
  if (existing) {
    for (const person of spec.people) {
      if (!(await stores.conversations.participant(existing.id, person))) {
        await stores.conversations.addParticipant(existing.id, person, now);
        await stores.events.append([
          {
            clinicId: spec.clinicId,
            conversationId: existing.id,
            type: "participant.added",
            messageId: null,
            person,
            seq: null,
            at: now,
          },
        ]);
      }
    }
    return { conversation: existing, created: false };
  }
  const conversation: Conversation = {
    id: deps.ids.newId(),
    clinicId: spec.clinicId,
    kind: spec.kind,
    patientId: spec.patientId,
    key: spec.key,
    createdAt: now,
    lastActivityAt: now,
    lastSeq: 0,
    name: null,
  };
  await stores.conversations.create(conversation, spec.people);
  await stores.events.append([
    {
      clinicId: spec.clinicId,
      conversationId: conversation.id,
      type: "conversation.created",
      messageId: null,
      person: spec.by,
      seq: null,
      at: now,
    },
  ]);
  return { conversation, created: true };
}
