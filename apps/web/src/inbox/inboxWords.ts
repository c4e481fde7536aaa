import type { Inputs, Outputs } from "../rpc/types";

/** An inbox view's name. */
export type InboxView = Inputs["inbox"]["list"]["view"];

/** The views in the order the inbox shows them, with their names (INBOX-1). */
export const inboxViewNames: readonly (readonly [InboxView, string])[] = [
  ["unassigned", "Unassigned"],
  ["mine", "Mine"],
  ["open", "Open"],
  ["awaiting", "Awaiting reply"],
  ["closed", "Closed"],
];

/** A timeline entry as the browser receives it. */
export type TimelineEntry = Outputs["inbox"]["timeline"]["entries"][number];

/** When the clinic opens next, in the reader's own time zone (HOURS-2): the browser's. */
export function formatOpening(at: string | Date): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: "long",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(at));
}

/**
 * The sentence of a timeline entry (INBOX-2): "Jordan Lee assigned this to Dr. Priya Shah". The
 * names come from the conversation's participants; anyone unknown is "Someone".
 */
export function timelineSentence(
  entry: TimelineEntry,
  nameOf: (kind: string, id: string) => string | null,
  audience: "staff" | "patient",
): string {
  const actor = entry.actor ? (nameOf(entry.actor.kind, entry.actor.id) ?? "Someone") : "The clinic";
  const subject = entry.subjectStaffId ? (nameOf("staff", entry.subjectStaffId) ?? "someone") : "";
  switch (entry.kind) {
    case "claimed":
      return `${actor} claimed this`;
    case "assigned":
      return `${actor} assigned this to ${subject}`;
    case "unassigned":
      return `${actor} unassigned this`;
    case "closed":
      return `${actor} closed this`;
    case "reopened":
      return `${actor} reopened this`;
    case "participant_added":
      return `${actor} added ${subject}`;
    case "renamed":
      return `${actor} renamed the conversation`;
    case "auto_reply":
      if (audience === "staff") {
        return entry.nextOpeningAt
          ? `Automatic reply sent: closed, read from ${formatOpening(entry.nextOpeningAt)}`
          : "Automatic reply sent: closed";
      }
      return entry.nextOpeningAt
        ? `Automatic reply: the clinic is closed. Your message will be read when it opens, ${formatOpening(entry.nextOpeningAt)}.`
        : "Automatic reply: the clinic is closed. Your message will be read when it opens.";
  }
}
