import { allow, type Decision, deny } from "../shared/Decision";
import type { Clinic, ClinicSettings, Plan } from "./Clinic";
import { plans, settingLimits } from "./Clinic";

/** The three chat capabilities of PRODUCT.md §1. */
export const capabilities = ["patientFileSharing", "patientMessaging", "teamChat"] as const;
/** One chat capability. */
export type Capability = (typeof capabilities)[number];

/** The cheapest plan that includes each capability. */
export const minimumPlan: Readonly<Record<Capability, Plan>> = {
  patientFileSharing: "starter",
  patientMessaging: "enhanced",
  teamChat: "premium",
};

/** The setting that switches each capability on and off. */
export const capabilitySetting: Readonly<Record<Capability, keyof ClinicSettings>> = {
  patientFileSharing: "patientFileSharingEnabled",
  patientMessaging: "patientMessagingEnabled",
  teamChat: "teamChatEnabled",
};

/** What a clinic can do now: one decision per capability, each "no" with its reason. */
export type Entitlements = Readonly<Record<Capability, Decision>>;

/** True when `plan` includes `capability`. */
export function planIncludes(plan: Plan, capability: Capability): boolean {
  return plans.indexOf(plan) >= plans.indexOf(minimumPlan[capability]);
}

/**
 * ENT-1: what this clinic can do now. A capability is usable only when the plan includes it and
 * its setting is on; patient capabilities also need the patient chat master switch. The plan is
 * checked first, so the reason shown is the one that an admin would have to fix first.
 */
export function entitlementsFor(clinic: Pick<Clinic, "plan" | "settings">): Entitlements {
  const decide = (capability: Capability): Decision => {
    if (!planIncludes(clinic.plan, capability)) {
      return deny("PLAN_REQUIRED", { plan: minimumPlan[capability] });
    }
    if (capability !== "teamChat" && !clinic.settings.patientChatEnabled) return deny("PATIENT_CHAT_OFF");
    if (!clinic.settings[capabilitySetting[capability]]) return deny("SETTING_OFF", { capability });
    return allow;
  };
  return {
    patientFileSharing: decide("patientFileSharing"),
    patientMessaging: decide("patientMessaging"),
    teamChat: decide("teamChat"),
  };
}

/** A change an admin asks for in Clinic Settings; absent fields stay as they are. */
export type SettingsChange = Partial<ClinicSettings>;

/**
 * ENT-2: may this change be applied? Turning on a setting whose capability the plan lacks is
 * refused, naming the plan needed; turning anything off is always allowed, and numbers must be in
 * {@link settingLimits}. Settings the plan lacks may stay on after a downgrade (ENT-3): they simply
 * grant nothing until the plan includes them again.
 */
export function checkSettingsChange(
  clinic: Pick<Clinic, "plan" | "settings">,
  change: SettingsChange,
): Decision {
  for (const capability of capabilities) {
    const key = capabilitySetting[capability];
    if (change[key] === true && clinic.settings[key] !== true && !planIncludes(clinic.plan, capability)) {
      return deny("PLAN_REQUIRED", { plan: minimumPlan[capability], capability });
    }
  }
  for (const [key, limit] of Object.entries(settingLimits) as [
    keyof typeof settingLimits,
    { min: number; max: number },
  ][]) {
    const value = change[key];
    if (value !== undefined && (!Number.isInteger(value) || value < limit.min || value > limit.max)) {
      return deny("INVALID_INPUT", { setting: key, min: limit.min, max: limit.max });
    }
  }
  return allow;
}
