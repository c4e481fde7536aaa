import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { canStartTeamChat } from "../people/reachability";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { type Conversation, teamConversationKey } from "./Conversation";
import { openOrCreateConversation } from "./openOrCreateConversation";

/** Largest Team Chat group that can be started at once. */
export const maxTeamChatMembers = 50;

/**
 * A staff member starts (or opens) a Team Chat with teammates, 1:1 or group (ELIG-3). The same
 * set of people, in any order, opens the same conversation (START-1).
 */
export function startTeamChat(
  deps: ChatDeps,
  actor: Actor,
  input: { staffIds: readonly string[] },
): Promise<{ conversation: Conversation; created: boolean }> {
  return audited(deps, actor, "conversation.start", async (stores, targets) => {
    const starter = await loadActing(stores, actor, { as: "staff" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const ids = [...new Set([starter.id, ...input.staffIds])];
    if (ids.length > maxTeamChatMembers)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "staffIds", max: maxTeamChatMembers });
    const members = await stores.directory.staffMembers(ids);
    if (members.length !== ids.length) throw new DomainError("NOT_FOUND");
    assertAllowed(canStartTeamChat(clinic, members));
    const result = await openOrCreateConversation(deps, stores, {
      clinicId: clinic.id,
      kind: "team",
      key: teamConversationKey(ids),
      patientId: null,
      people: ids.map((id) => ({ kind: "staff" as const, id })),
      by: actor.person,
    });
    targets.conversationId = result.conversation.id;
    return result;
  });
}
