import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import type { Clinic, Plan } from "./Clinic";
import { checkSettingsChange, type SettingsChange } from "./entitlements";
import { loadClinic } from "./loadClinic";

/**
 * An admin changes Clinic Settings (ENT-2: a setting the plan lacks cannot be turned on). The
 * change takes effect at once for every session (ENT-4): the live event tells open clients to
 * refresh their composers, and nothing caches entitlements.
 */
export function changeClinicSettings(deps: ChatDeps, actor: Actor, change: SettingsChange): Promise<Clinic> {
  return audited(deps, actor, "settings.change", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const clinic = await loadClinic(stores, actor.clinicId);
    assertAllowed(checkSettingsChange(clinic, change));
    const settings = { ...clinic.settings, ...definedOnly(change) };
    await stores.clinics.saveSettings(clinic.id, settings);
    await announce(deps, stores.events, actor);
    return { ...clinic, settings };
  });
}

/**
 * The clinic's plan changes (billing, by an admin). Nothing is deleted and settings stay as they
 * are (ENT-3): conversations that lose a capability become read-only for it.
 */
export function changeClinicPlan(deps: ChatDeps, actor: Actor, input: { plan: Plan }): Promise<Clinic> {
  return audited(deps, actor, "settings.change", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const clinic = await loadClinic(stores, actor.clinicId);
    await stores.clinics.savePlan(clinic.id, input.plan);
    await announce(deps, stores.events, actor);
    return { ...clinic, plan: input.plan };
  });
}

function definedOnly(change: SettingsChange): SettingsChange {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
}

async function announce(
  deps: Pick<ChatDeps, "clock">,
  events: import("../chat/ports").EventLog,
  actor: Actor,
): Promise<void> {
  await events.append([
    {
      clinicId: actor.clinicId,
      conversationId: null,
      type: "clinic.entitlements_changed",
      messageId: null,
      person: actor.person,
      seq: null,
      at: deps.clock.now(),
    },
  ]);
}
