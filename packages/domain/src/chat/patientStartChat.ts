import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { canPatientStartChatWith } from "../people/reachability";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { type Conversation, patientConversationKey } from "./Conversation";
import { openOrCreateConversation } from "./openOrCreateConversation";

/**
 * A patient starts a chat from the portal with one of the clinic's available practitioners
 * (ELIG-2). Like every patient chat it is the patient's one conversation (START-1): the
 * practitioner is added to it if they were not in it yet.
 */
export function patientStartChat(
  deps: ChatDeps,
  actor: Actor,
  input: { practitionerId: string },
): Promise<{ conversation: Conversation; created: boolean }> {
  return audited(deps, actor, "conversation.start", async (stores, targets) => {
    targets.subject = { kind: "staff", id: input.practitionerId };
    const patient = await loadActing(stores, actor, { as: "patient" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const practitioner = await stores.directory.staffMember(input.practitionerId);
    if (!practitioner) throw new DomainError("NOT_FOUND");
    assertAllowed(canPatientStartChatWith(clinic, patient, practitioner));
    const result = await openOrCreateConversation(deps, stores, {
      clinicId: clinic.id,
      kind: "patient",
      key: patientConversationKey(patient.id),
      patientId: patient.id,
      people: [actor.person, { kind: "staff", id: practitioner.id }],
      by: actor.person,
    });
    targets.conversationId = result.conversation.id;
    return result;
  });
}
