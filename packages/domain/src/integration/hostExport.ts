import { type Conversation, patientConversationKey } from "../chat/Conversation";
import { type ConversationRecord, recordOfConversation } from "../export/exportConversation";
import type { Patient } from "../people/people";
import { allow, type Decision, deny } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import { hostAudited } from "./hostAudited";
import type { HostCaller } from "./ports";

/**
 * INTEG-5 for the host system: its credential may export, for the chart, the conversation of a
 * patient of its own clinic, the one the patient's chat icon opens. A Team Chat is no patient's
 * chart. The clinic is the credential's: the unit of work is bound to it, so another clinic's
 * patient reads as unknown (ELIG-5, SEC-4).
 */
export function canHostExport(caller: HostCaller, patient: Patient, conversation: Conversation): Decision {
  if (patient.clinicId !== caller.clinicId || conversation.clinicId !== caller.clinicId)
    return deny("NOT_FOUND");
  if (conversation.kind !== "patient" || conversation.patientId !== patient.id) return deny("NOT_FOUND");
  return allow;
}

/**
 * The host system fetches a patient's conversation for the chart by the patient's host id
 * (INTEG-5 through INTEG-2's endpoint). Null when the clinic has no such patient, or the patient
 * has no conversation yet: a search that finds nothing. Audited as an export with the credential as
 * actor (SEC-3), ids only.
 */
export function exportPatientChatForHost(
  deps: ChatDeps,
  caller: HostCaller,
  input: { patientHostId: string },
): Promise<ConversationRecord | null> {
  return hostAudited(deps, caller, "conversation.export", async (stores, targets) => {
    const [patient] = await stores.directory.patientsByHostIds([input.patientHostId.trim()]);
    if (!patient) return null;
    targets.subject = { kind: "patient", id: patient.id };
    const conversation = await stores.conversations.claimKey(patientConversationKey(patient.id));
    if (!conversation || !canHostExport(caller, patient, conversation).allowed) return null;
    targets.conversationId = conversation.id;
    const participants = await stores.conversations.participants(conversation.id);
    return recordOfConversation(
      deps,
      stores,
      conversation,
      patient,
      participants.map((p) => p.person),
    );
  });
}
