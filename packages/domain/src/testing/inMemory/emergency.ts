import type { EmergencyAccessStore } from "../../emergency/EmergencyAccess";
import type { PersonRef } from "../../people/people";
import type { ClinicView } from "./world";

/** The clinic's emergency grants (REC-7): written once, never changed. */
export function inMemoryEmergencyAccess(view: ClinicView): EmergencyAccessStore {
  const { world, clinicId } = view;
  return {
    async grant(grant) {
      if (grant.clinicId !== clinicId) throw new Error("grant outside the unit of work's clinic");
      if (!view.inClinic(world.conversations.get(grant.conversationId)))
        throw new Error("no such conversation");
      if (world.emergencyGrants.some((g) => g.clinicId === clinicId && g.id === grant.id))
        throw new Error("duplicate grant id");
      world.emergencyGrants.push(grant);
    },
    async grantedSince(since, limit) {
      return world.emergencyGrants
        .filter((g) => g.clinicId === clinicId && g.grantedAt >= since)
        .sort((a, b) => b.grantedAt.getTime() - a.grantedAt.getTime())
        .slice(0, limit);
    },
  };
}

/** A read's `emergencyUntil` fact: the latest expiry of the staff member's grants on the conversation. */
export function emergencyUntilOf(
  view: ClinicView,
  conversationId: string,
  person: PersonRef,
): { emergencyUntil?: Date } {
  if (person.kind !== "staff") return {};
  let until: Date | undefined;
  for (const g of view.world.emergencyGrants) {
    if (g.clinicId !== view.clinicId || g.conversationId !== conversationId || g.adminId !== person.id)
      continue;
    if (!until || g.expiresAt > until) until = g.expiresAt;
  }
  return until ? { emergencyUntil: until } : {};
}
