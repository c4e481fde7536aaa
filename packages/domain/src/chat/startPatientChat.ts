import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { canStartPatientChat } from "../people/reachability";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Conversation } from "./Conversation";
import { openPatientConversations } from "./openPatientConversations";

/**
 * A staff member starts (or opens) the chat with a patient, from the Chat page, Appointment
 * Details or the Patient File alike (START-1): a patient has one conversation with the clinic,
 * and the staff member joins it if they were not in it yet.
 */
export function startPatientChat(
  deps: ChatDeps,
  actor: Actor,
  input: { patientId: string },
): Promise<{ conversation: Conversation; created: boolean }> {
  return audited(deps, actor, "conversation.start", async (stores, targets) => {
    targets.subject = { kind: "patient", id: input.patientId };
    const staff = await loadActing(stores, actor, { as: "staff" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const patient = await stores.directory.patient(input.patientId);
    if (!patient) throw new DomainError("NOT_FOUND");
    assertAllowed(canStartPatientChat(clinic, staff, patient));
    const opened = await openPatientConversations(deps, stores, {
      clinicId: clinic.id,
      patientIds: [patient.id],
      staff: [actor.person],
      by: actor.person,
    });
    const { conversation, created } = opened.get(patient.id)!;
    const result = { conversation, created };
    targets.conversationId = result.conversation.id;
    return result;
  });
}
