import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { canAddParticipant } from "./eligibility";
import { loadConversationFor } from "./loadConversation";

/** A staff participant adds a teammate to a conversation (ELIG-3, ELIG-4); adding a member again changes nothing. */
export function addParticipant(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; staffId: string },
): Promise<{ added: boolean }> {
  return audited(deps, actor, "conversation.add_participant", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    targets.subject = { kind: "staff", id: input.staffId };
    const access = await loadConversationFor(stores, actor, input.conversationId);
    const newcomer = await stores.directory.staffMember(input.staffId);
    if (!newcomer) throw new DomainError("NOT_FOUND");
    assertAllowed(canAddParticipant(access.clinic, access.conversation, access.person, newcomer));
    const person = { kind: "staff" as const, id: newcomer.id };
    if (await stores.conversations.participant(access.conversation.id, person)) return { added: false };
    const now = deps.clock.now();
    await stores.conversations.addParticipant(access.conversation.id, person, now);
    await stores.events.append([
      {
        clinicId: actor.clinicId,
        conversationId: access.conversation.id,
        type: "participant.added",
        messageId: null,
        person,
        seq: null,
        at: now,
      },
    ]);
    if (access.conversation.kind === "patient") {
      // INBOX-2: the inbox's timeline shows who joined and who added them.
      await stores.inbox.addTimeline([
        {
          id: deps.ids.newId(),
          conversationId: access.conversation.id,
          kind: "participant_added",
          actor: actor.person,
          subjectStaffId: newcomer.id,
          afterSeq: access.conversation.lastSeq,
          at: now,
          nextOpeningAt: null,
        },
      ]);
    }
    return { added: true };
  });
}
