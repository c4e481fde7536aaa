/** The three plans, cheapest first. */
export const plans = ["starter", "enhanced", "premium"] as const;
/** A clinic's subscription plan. */
export type Plan = (typeof plans)[number];

/**
 * The clinic's chat switches (Clinic Settings › Patient Portal and › Notification Settings).
 * The chat email notification has no switch: it cannot be turned off (NOTIF-3).
 */
export interface ClinicSettings {
  /** "Chat for your patients available in Patient Portal": the master switch, off by default. */
  readonly patientChatEnabled: boolean;
  readonly patientFileSharingEnabled: boolean;
  readonly patientMessagingEnabled: boolean;
  readonly teamChatEnabled: boolean;
  readonly smsNotificationsEnabled: boolean;
  /** Automatic logoff after this many idle minutes (SEC-2). */
  readonly idleTimeoutMinutes: number;
  /** How long the first unread message waits before its notification goes out (NOTIF-1). */
  readonly notificationDelaySeconds: number;
}

/** A clinic: the tenant. Nothing ever crosses from one clinic to another (ELIG-5). */
export interface Clinic {
  readonly id: string;
  readonly name: string;
  readonly plan: Plan;
  readonly settings: ClinicSettings;
}

/** Bounds of the numeric settings; outside them a change is refused. */
export const settingLimits = {
  idleTimeoutMinutes: { min: 1, max: 15 },
  notificationDelaySeconds: { min: 0, max: 3600 },
} as const;

/** The settings a new clinic starts with on a plan (PRODUCT.md §1). */
export function defaultSettings(plan: Plan): ClinicSettings {
  return {
    patientChatEnabled: false,
    patientFileSharingEnabled: true,
    patientMessagingEnabled: plan !== "starter",
    teamChatEnabled: plan === "premium",
    smsNotificationsEnabled: false,
    idleTimeoutMinutes: 15,
    notificationDelaySeconds: 120,
  };
}
