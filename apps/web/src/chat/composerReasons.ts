import type { Audience } from "../auth/audience";

/** A policy's answer as the API sends it (ENT-1): yes, or no with the reason. */
export type Decision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };

/** What a sentence is about: text messages, files, or Team Chat as a whole. */
export type Capability = "text" | "file" | "team";

const planNames: Readonly<Record<string, string>> = {
  starter: "Starter",
  enhanced: "Enhanced",
  premium: "Premium",
};

const staffWhat: Readonly<Record<Capability, string>> = {
  text: "Messages with patients",
  file: "File sharing with patients",
  team: "Team Chat",
};

const patientWhat: Readonly<Record<Capability, string>> = {
  text: "Messages",
  file: "File sharing",
  team: "Chat",
};

/**
 * Why the composer cannot send something, in words the reader can act on (ENT-3, ELIG-1): staff
 * are told who can change it; patients are told what the clinic offers, not about its plan.
 */
export function reasonSentence(
  decision: Decision,
  capability: Capability,
  audience: Audience,
): string | null {
  if (decision.allowed) return null;
  const plan = planNames[String(decision.details?.plan ?? "")];
  if (audience === "patient") {
    switch (decision.reason) {
      case "PLAN_REQUIRED":
      case "SETTING_OFF":
        return `${patientWhat[capability]} ${capability === "text" ? "aren't" : "isn't"} available with this clinic in the Patient Portal.`;
      case "PATIENT_CHAT_OFF":
        return "This clinic has turned off chat in the Patient Portal. Your past messages stay here to read.";
      case "PATIENT_PORTAL_INACTIVE":
        return "Your Patient Portal account isn't active. Contact your clinic.";
      default:
        return "You can't send anything in this conversation.";
    }
  }
  switch (decision.reason) {
    case "PLAN_REQUIRED":
      return `${staffWhat[capability]} ${capability === "text" ? "are" : "is"} not included in your clinic's plan${plan ? `. Upgrade to ${plan} to use ${capability === "text" ? "them" : "it"}` : ""}.`;
    case "SETTING_OFF":
      return `${staffWhat[capability]} ${capability === "text" ? "are" : "is"} turned off in Clinic Settings${capability === "team" ? "" : " › Patient Portal"}. A clinic admin can turn ${capability === "text" ? "them" : "it"} on.`;
    case "PATIENT_CHAT_OFF":
      return "Chat with patients is turned off for this clinic. A clinic admin can turn it on in Clinic Settings › Patient Portal.";
    case "PATIENT_PORTAL_INACTIVE":
      return "This patient has no active Patient Portal account, so they can't receive messages or files. Invite them to the portal first.";
    case "STAFF_INACTIVE":
      return "Your staff account is deactivated. You can read this conversation but not send.";
    case "CONVERSATION_READ_ONLY":
      return "This patient was erased. The conversation keeps only who deleted what and when; nothing can be sent.";
    default:
      return "You can't send anything in this conversation.";
  }
}

/** The composer's one-line explanation, or null when both text and files may be sent. */
export function composerNotice(
  rules: { text: Decision; file: Decision },
  kind: "patient" | "team",
  audience: Audience,
): string | null {
  if (kind === "team") return rules.text.allowed ? null : reasonSentence(rules.text, "team", audience);
  const text = reasonSentence(rules.text, "text", audience);
  const file = reasonSentence(rules.file, "file", audience);
  if (!text && !file) return null;
  if (text && !file) return `${text} You can share files.`;
  if (file && !text) return file;
  return text === file ? text : `${text} ${file}`;
}
