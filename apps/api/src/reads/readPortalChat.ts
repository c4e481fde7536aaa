import {
  type Actor,
  assertAllowed,
  type ComposerRules,
  canAct,
  canSendAnything,
  composerRules,
  DomainError,
  type UnitOfWork,
} from "@clinic-chat/domain";

/** What the Patient Portal shows of Chat for the signed-in patient. */
export interface PortalChatView {
  readonly clinicName: string;
  /** False while the clinic's patient chat is off or offers nothing: the portal shows no Chat. */
  readonly chatAvailable: boolean;
  /** What the patient may send now, each "no" with its reason (ENT-1, ENT-3). */
  readonly composer: ComposerRules;
}

/**
 * Reads whether the portal shows Chat to this patient and what they may send. Composed here from
 * the domain's exported policies because the domain has no read use case for it yet; it reads no
 * conversation content, so it writes no audit record.
 */
export function readPortalChat(deps: { readonly uow: UnitOfWork }, actor: Actor): Promise<PortalChatView> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    if (actor.person.kind !== "patient") throw new DomainError("FORBIDDEN");
    const patient = await stores.directory.patient(actor.person.id);
    if (!patient) throw new DomainError("NOT_FOUND");
    assertAllowed(canAct({ kind: "patient", patient }));
    const clinic = await stores.clinics.get(actor.clinicId);
    if (!clinic) throw new DomainError("NOT_FOUND");
    const composer = composerRules(clinic, { kind: "patient" }, patient, { kind: "patient", patient });
    return {
      clinicName: clinic.name,
      chatAvailable: clinic.settings.patientChatEnabled && canSendAnything(composer).allowed,
      composer,
    };
  });
}
