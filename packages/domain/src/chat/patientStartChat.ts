import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { canPatientStartChatWith } from "../people/reachability";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Conversation } from "./Conversation";
import { openPatientConversations } from "./openPatientConversations";

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
    const opened = await openPatientConversations(deps, stores, {
      clinicId: clinic.id,
      patientIds: [patient.id],
      staff: [{ kind: "staff", id: practitioner.id }],
      by: actor.person,
    });
    const { conversation, created } = opened.get(patient.id)!;
    const result = { conversation, created };
    targets.conversationId = result.conversation.id;
    return result;
  });
}
