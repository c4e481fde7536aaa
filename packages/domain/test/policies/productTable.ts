import type { Capability, ClinicSettings, Decision, Plan } from "../../src/index";

// PRODUCT.md §1, restated here on purpose instead of read from the code's tables, so that a
// change of the code's tables is caught by these tests.
export const allPlans: readonly Plan[] = ["starter", "enhanced", "premium"];

/** The plan table of §1: which plans include each capability. */
export const included: Record<Capability, readonly Plan[]> = {
  patientFileSharing: ["starter", "enhanced", "premium"],
  patientMessaging: ["enhanced", "premium"],
  teamChat: ["premium"],
};
/** The cheapest plan that includes each capability: what an ENT-2 refusal must name. */
export const planNeeded: Record<Capability, Plan> = {
  patientFileSharing: "starter",
  patientMessaging: "enhanced",
  teamChat: "premium",
};
/** The switch of each capability. */
export const switchOf = {
  patientFileSharing: "patientFileSharingEnabled",
  patientMessaging: "patientMessagingEnabled",
  teamChat: "teamChatEnabled",
} as const satisfies Record<Capability, keyof ClinicSettings>;
export const isPatientCapability: Record<Capability, boolean> = {
  patientFileSharing: true,
  patientMessaging: true,
  teamChat: false,
};
export const allCapabilities = Object.keys(included) as Capability[];

export type BooleanSetting =
  | "patientChatEnabled"
  | "patientFileSharingEnabled"
  | "patientMessagingEnabled"
  | "teamChatEnabled"
  | "smsNotificationsEnabled";
export const booleanSettings: readonly BooleanSetting[] = [
  "patientChatEnabled",
  "patientFileSharingEnabled",
  "patientMessagingEnabled",
  "teamChatEnabled",
  "smsNotificationsEnabled",
];

/** Every combination of the boolean settings (SMS included: it must change no chat capability). */
export function everySettingsCombination(): ClinicSettings[] {
  const result: ClinicSettings[] = [];
  for (let bits = 0; bits < 2 ** booleanSettings.length; bits++) {
    const flags = Object.fromEntries(booleanSettings.map((name, i) => [name, (bits & (1 << i)) !== 0]));
    result.push({ idleTimeoutMinutes: 15, notificationDelaySeconds: 120, ...flags } as ClinicSettings);
  }
  return result;
}

/**
 * ENT-1 as the test reads it: usable only when the plan includes it and its switch is on and, for
 * patient capabilities, the patient chat master switch is on. The reason is the first of those
 * that fails (the plan first: an admin cannot fix anything else before it).
 */
export function expectedDecision(plan: Plan, settings: ClinicSettings, capability: Capability): Decision {
  if (!included[capability].includes(plan))
    return { allowed: false, reason: "PLAN_REQUIRED", details: { plan: planNeeded[capability] } };
  if (isPatientCapability[capability] && !settings.patientChatEnabled)
    return { allowed: false, reason: "PATIENT_CHAT_OFF" };
  if (!settings[switchOf[capability]]) return { allowed: false, reason: "SETTING_OFF" };
  return { allowed: true };
}

export function describeSettings(s: ClinicSettings): string {
  const flag = (on: boolean) => (on ? "on" : "off");
  return `chat=${flag(s.patientChatEnabled)} files=${flag(s.patientFileSharingEnabled)} messaging=${flag(
    s.patientMessagingEnabled,
  )} team=${flag(s.teamChatEnabled)} sms=${flag(s.smsNotificationsEnabled)}`;
}
