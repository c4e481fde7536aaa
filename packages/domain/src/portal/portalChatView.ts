import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { type ComposerRules, canSendAnything, composerRules } from "../people/reachability";
import type { ChatDeps } from "../shared/deps";

/** What the Patient Portal shows of Chat for the signed-in patient. */
export interface PortalChatView {
  readonly clinicName: string;
  /** False while the clinic's patient chat is off or offers nothing: the portal shows no Chat. */
  readonly chatAvailable: boolean;
  /** What the patient may send now, each "no" with its reason (ENT-1, ENT-3). */
  readonly composer: ComposerRules;
}

/**
 * Whether the portal shows Chat to this patient and what they may send (ENT-1, ENT-3; ELIG-6:
 * only while their portal account is active). It reads no conversation content, so it writes no
 * audit record.
 */
export function portalChatView(deps: Pick<ChatDeps, "uow">, actor: Actor): Promise<PortalChatView> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const patient = await loadActing(stores, actor, { as: "patient" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const composer = composerRules(clinic, { kind: "patient" }, patient, { kind: "patient", patient });
    return {
      clinicName: clinic.name,
      chatAvailable: clinic.settings.patientChatEnabled && canSendAnything(composer).allowed,
      composer,
    };
  });
}
