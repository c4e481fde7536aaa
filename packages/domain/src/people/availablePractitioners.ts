import { loadClinic } from "../clinic/loadClinic";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import { offeredToPatients } from "./offering";
import type { Actor } from "./people";
import { type PersonView, staffView } from "./personViews";
import { canSendAnything, composerRules } from "./reachability";

/**
 * The practitioners a patient may start a chat with from the portal, while the clinic offers
 * patients at least one chat capability. The directory narrows the candidates; ELIG-2
 * ({@link offeredToPatients}) decides who of them is offered.
 */
export function availablePractitioners(deps: ChatDeps, actor: Actor): Promise<PersonView[]> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const patient = await loadActing(stores, actor, { as: "patient" });
    const clinic = await loadClinic(stores, actor.clinicId);
    assertAllowed(
      canSendAnything(composerRules(clinic, { kind: "patient" }, patient, { kind: "patient", patient })),
    );
    const candidates = await stores.directory.availablePractitioners();
    return candidates.filter((staff) => offeredToPatients(clinic.id, staff).allowed).map(staffView);
  });
}
