import type { Decision } from "./composerReasons";

const portalStates: Readonly<Record<string, string>> = {
  none: "no Patient Portal account",
  invited: "invited to the Patient Portal, not signed up yet",
  disabled: "Patient Portal account disabled",
};

/** Why a search result cannot be chatted with now, short enough to sit beside a name (ELIG-1). */
export function unavailableReason(decision: Decision): string | null {
  if (decision.allowed) return null;
  switch (decision.reason) {
    case "PATIENT_PORTAL_INACTIVE":
      return `Unavailable: ${portalStates[String(decision.details?.portalAccount ?? "none")] ?? "no active Patient Portal account"}`;
    case "PATIENT_CHAT_OFF":
      return "Unavailable: chat with patients is turned off for the clinic";
    case "PLAN_REQUIRED":
      return "Unavailable: not included in the clinic's plan";
    case "SETTING_OFF":
      return "Unavailable: turned off in Clinic Settings";
    case "STAFF_INACTIVE":
      return "Unavailable: account deactivated";
    default:
      return "Unavailable";
  }
}
