import type { NotificationChannel, NotificationPayload, NotificationRecipient } from "./model";

/**
 * NOTIF-3: the channels a chat notification goes out on for one recipient, email first; empty when
 * none applies (a staff member who turned emails off, a patient without an email address).
 */
export function notificationChannels(
  clinic: { readonly smsNotificationsEnabled: boolean },
  recipient: NotificationRecipient,
): NotificationChannel[] {
  const isPatient = recipient.person.kind === "patient";
  const channels: NotificationChannel[] = [];
  // Patients cannot turn the email off, so their emailNotifications flag is deliberately ignored.
  if (hasValue(recipient.email) && (isPatient || recipient.emailNotifications)) channels.push("email");
  // SMS needs all three: the clinic pays for it, the patient has a number, and the patient consented.
  if (isPatient && clinic.smsNotificationsEnabled && hasValue(recipient.mobilePhone) && recipient.smsConsent)
    channels.push("sms");
  return channels;
}

/** Shown when a clinic's name is empty once sanitized, so the sentence still reads. */
const fallbackClinicName = "your clinic";

/**
 * Where a notification takes its reader: the conversation when the burst is about one (its id is
 * no PHI), else their conversation list; the app asks them to sign in first when they are not.
 */
export function notificationLink(appUrl: string, conversationIds: readonly string[]): string {
  const base = appUrl.replace(/\/+$/, "");
  const [only] = conversationIds;
  return conversationIds.length === 1 && only !== undefined
    ? `${base}/chat/${encodeURIComponent(only)}`
    : `${base}/chat`;
}

/**
 * NOTIF-4: the PHI-free content of a chat notification. It takes only the clinic's name, the link,
 * who reads it and the clinic's messaging guidelines (HOURS-4, written by the clinic for every
 * patient), so no message text, file name or patient name can reach it. Patients read that their
 * clinic wrote, with the guidelines; staff, who hear only of patients' messages (NOTIF-3), read
 * that a patient did, unnamed.
 */
export function notificationPayload(
  clinicName: string,
  link: string,
  reader: "patient" | "staff" = "patient",
  guidelines = "",
): NotificationPayload {
  // The name goes into an email subject: a CR or LF in it could inject headers.
  const clinic = singleLine(clinicName) || fallbackClinicName;
  const safeLink = link.replace(unsafeCharacters, "").trim();
  if (reader === "staff")
    return {
      subject: `New secure message from a patient at ${clinic}`,
      text: `A patient sent you a new secure message at ${clinic}. Sign in to read it.\n\n${safeLink}`,
      clinicName: clinic,
      link: safeLink,
    };
  // Kept as one paragraph of its own lines: nothing in it may pass for the link or a header.
  const rules = guidelines
    .split(/\r?\n/)
    .map(singleLine)
    .filter((line) => line.length > 0)
    .join("\n");
  return {
    subject: `New secure message from ${clinic}`,
    text: `You have a new secure message from ${clinic}. Sign in to read it.\n\n${rules ? `${rules}\n\n` : ""}${safeLink}`,
    clinicName: clinic,
    link: safeLink,
  };
}

/**
 * NOTIF-4: what a text message says: the notification's sentence and its link, on one line.
 * HOURS-4 puts the clinic's guidelines in the notification email, and the email always goes to a
 * patient with an address (NOTIF-3); up to 300 characters of guidelines would turn a text of one
 * segment into three or more, each sent and paid for, so the text leaves them out.
 */
export function smsNotification(payload: NotificationPayload): NotificationPayload {
  const [sentence = ""] = payload.text.split("\n\n");
  return { ...payload, text: `${sentence} ${payload.link}` };
}

/**
 * Control characters (C0, DEL, C1, which include CR and LF), Unicode line and paragraph separators,
 * and bidirectional overrides that could make a subject display something other than what it says.
 */
const unsafeCharacters = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]+/gu;

export function singleLine(text: string): string {
  return text.replace(unsafeCharacters, " ").replace(/\s+/g, " ").trim();
}

function hasValue(text: string | null): text is string {
  return text !== null && text.trim() !== "";
}
