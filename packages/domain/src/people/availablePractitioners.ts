import { canSendAnything, composerRules } from "../chat/eligibility";
import { loadClinic } from "../clinic/loadClinic";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import { loadActingPatient } from "./loadPerson";
import type { Actor } from "./people";
import { type PersonView, staffView } from "./personViews";

/**
 * The practitioners a patient may start a chat with from the portal (ELIG-2): active, available
 * for chat with patients, while the clinic offers patients at least one chat capability.
 */
export function availablePractitioners(deps: ChatDeps, actor: Actor): Promise<PersonView[]> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const patient = await loadActingPatient(stores, actor);
    const clinic = await loadClinic(stores, actor.clinicId);
    assertAllowed(
      canSendAnything(composerRules(clinic, { kind: "patient" }, patient, { kind: "patient", patient })),
    );
    return (await stores.directory.availablePractitioners()).map(staffView);
  });
}
