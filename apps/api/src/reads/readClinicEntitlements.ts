import {
  type Actor,
  assertAllowed,
  type Capability,
  type ClinicSettings,
  canAct,
  DomainError,
  type Entitlements,
  entitlementsFor,
  minimumPlan,
  type Plan,
  type UnitOfWork,
} from "@clinic-chat/domain";

/** What a staff member's app shows about the clinic's chat: plan, settings and what works now (ENT-1). */
export interface ClinicEntitlementsView {
  readonly clinicName: string;
  readonly plan: Plan;
  readonly settings: ClinicSettings;
  /** One decision per capability; a "no" carries the reason the UI explains. */
  readonly entitlements: Entitlements;
  /** The cheapest plan that includes each capability, for "Upgrade to …" hints (ENT-2). */
  readonly minimumPlan: Readonly<Record<Capability, Plan>>;
}

/**
 * Reads the clinic's entitlements for an active staff member. Composed here from the domain's
 * exported policies because the domain has no read use case for it yet; it reads no PHI, so it
 * writes no audit record. Read fresh on every call: nothing is cached (ENT-4).
 */
export function readClinicEntitlements(
  deps: { readonly uow: UnitOfWork },
  actor: Actor,
): Promise<ClinicEntitlementsView> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    if (actor.person.kind !== "staff") throw new DomainError("FORBIDDEN");
    const staff = await stores.directory.staffMember(actor.person.id);
    if (!staff) throw new DomainError("NOT_FOUND");
    assertAllowed(canAct({ kind: "staff", staff }));
    const clinic = await stores.clinics.get(actor.clinicId);
    if (!clinic) throw new DomainError("NOT_FOUND");
    return {
      clinicName: clinic.name,
      plan: clinic.plan,
      settings: clinic.settings,
      entitlements: entitlementsFor(clinic),
      minimumPlan,
    };
  });
}
