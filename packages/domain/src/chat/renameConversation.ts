import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed, refuse } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import { canRenameConversation, conversationNameOf } from "./conversationName";
import { loadConversationFor } from "./loadConversation";

/**
 * A staff participant names, renames or un-names a Team Chat (ELIG-3, ELIG-4). The timeline
 * records who renamed it and when (ids only: the name itself is the conversation's, shown where
 * it is shown); its participants' screens refetch it live. The same name again changes nothing.
 */
export function renameConversation(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; name: string },
): Promise<{ name: string | null; renamed: boolean }> {
  return audited(deps, actor, "conversation.rename", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    assertAllowed(canRenameConversation(access.conversation, access.person));
    const named = conversationNameOf(input.name);
    if (!named.ok) refuse(named.decision);
    if (named.name === access.conversation.name) return { name: named.name, renamed: false };
    const now = deps.clock.now();
    await stores.conversations.rename(access.conversation.id, named.name);
    await stores.events.append([
      {
        clinicId: actor.clinicId,
        conversationId: access.conversation.id,
        type: "conversation.renamed",
        messageId: null,
        person: actor.person,
        seq: null,
        at: now,
      },
    ]);
    await stores.inbox.addTimeline([
      {
        id: deps.ids.newId(),
        conversationId: access.conversation.id,
        kind: "renamed",
        actor: actor.person,
        subjectStaffId: null,
        afterSeq: access.conversation.lastSeq,
        at: now,
        nextOpeningAt: null,
      },
    ]);
    return { name: named.name, renamed: true };
  });
}
