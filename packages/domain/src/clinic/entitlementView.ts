import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import type { ChatDeps } from "../shared/deps";
import type { ClinicSettings, Plan } from "./Clinic";
import { type Capability, type Entitlements, entitlementsFor, minimumPlan } from "./entitlements";
import { loadClinic } from "./loadClinic";

/** What a staff member's app shows about the clinic's chat: plan, settings and what works now (ENT-1). */
export interface EntitlementView {
  readonly clinicName: string;
  readonly plan: Plan;
  readonly settings: ClinicSettings;
  /** One decision per capability; a "no" carries the reason the UI explains. */
  readonly entitlements: Entitlements;
  /** The cheapest plan that includes each capability, for "Upgrade to …" hints (ENT-2). */
  readonly minimumPlan: Readonly<Record<Capability, Plan>>;
}

/**
 * The clinic's entitlements as an active staff member sees them (ENT-1, ENT-2). Read fresh on
 * every call, so a change of plan or settings shows at once (ENT-4). It reads no PHI, so it writes
 * no audit record.
 */
export function entitlementView(deps: Pick<ChatDeps, "uow">, actor: Actor): Promise<EntitlementView> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "staff" });
    const clinic = await loadClinic(stores, actor.clinicId);
    return {
      clinicName: clinic.name,
      plan: clinic.plan,
      settings: clinic.settings,
      entitlements: entitlementsFor(clinic),
      minimumPlan,
    };
  });
}
