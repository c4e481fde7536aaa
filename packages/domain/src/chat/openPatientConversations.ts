import type { PersonRef } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { patientConversationKey } from "./Conversation";
import type { NewConversationEvent } from "./ConversationEvent";
import type { OpenedConversation } from "./ports";

/**
 * START-1 for many patients at once: each patient's own conversation with the clinic, opened if
 * it exists and created if not, with the patient and every one of `staff` taking part (ELIG-4),
 * and the live events of what changed (MSG-2). Answers each patient's conversation, in the order
 * given; a patient named twice is opened once.
 */
export async function openPatientConversations(
  deps: Pick<ChatDeps, "clock" | "ids">,
  stores: Stores,
  spec: {
    clinicId: string;
    patientIds: readonly string[];
    staff: readonly PersonRef[];
    by: PersonRef;
    /** The staff join quietly: out of their lists until someone else writes (BCAST-1). */
    quietly?: boolean;
  },
): Promise<Map<string, OpenedConversation>> {
  const now = deps.clock.now();
  const patientIds = [...new Set(spec.patientIds)];
  const opened = await stores.conversations.openPatientConversations(
    patientIds.map((patientId) => ({
      conversation: {
        id: deps.ids.newId(),
        clinicId: spec.clinicId,
        kind: "patient",
        patientId,
        key: patientConversationKey(patientId),
        createdAt: now,
        lastActivityAt: now,
        lastSeq: 0,
        name: null,
      },
      people: [...spec.staff, { kind: "patient", id: patientId }],
      quietly: spec.quietly ? spec.staff : [],
    })),
  );
  const event = (conversationId: string, type: NewConversationEvent["type"], person: PersonRef) => ({
    clinicId: spec.clinicId,
    conversationId,
    type,
    messageId: null,
    person,
    seq: null,
    at: now,
  });
  const events: NewConversationEvent[] = [];
  for (const { conversation, created, joined } of opened) {
    if (created) events.push(event(conversation.id, "conversation.created", spec.by));
    for (const person of joined) events.push(event(conversation.id, "participant.added", person));
  }
  await stores.events.append(events);
  return new Map(opened.map((o, i) => [patientIds[i]!, o]));
}
