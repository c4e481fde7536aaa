import type { OfficeHours } from "../hours/OfficeHours";

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
  /** The clinic's IANA time zone (ADMIN-1), such as "America/New_York". */
  readonly timeZone: string;
  readonly settings: ClinicSettings;
  /** Clinic Settings › Office hours (HOURS-1 … HOURS-4); absent until an admin keeps them. */
  readonly officeHours?: OfficeHours | null;
  /** Whether an enabled webhook endpoint waits for the clinic's events (INTEG-4); absent: none. */
  readonly webhooksActive?: boolean;
}

/** True for an IANA time zone name this runtime knows (ADMIN-1), such as "Europe/Paris" or "UTC". */
export function isTimeZone(value: string): boolean {
  // Offsets ("+01:00") are accepted by Intl but are not zones: a zone is a name.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // Intl ignores case ("europe/paris"); the stored name must be spelled as the database spells it.
  // Aliases ("Asia/Kolkata" read as "Asia/Calcutta" by some runtimes) are names of their own.
  return resolved === value || resolved.toLowerCase() !== value.toLowerCase();
}

/** Bounds of the numeric settings; outside them a change is refused. */
export const settingLimits = {
  idleTimeoutMinutes: { min: 1, max: 15 },
  // NOTIF-1: below 30 seconds nothing coalesces; above an hour a notification is no longer timely.
  notificationDelaySeconds: { min: 30, max: 3600 },
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
