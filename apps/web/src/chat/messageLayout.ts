import type { MessageView, PersonRef } from "../rpc/types";
import { dayKey } from "./formatTime";

/** One row of the history as shown: a date separator, the unread divider, or a message. */
export type HistoryRow =
  | { readonly kind: "day"; readonly key: string; readonly at: string }
  | { readonly kind: "unread"; readonly key: "unread" }
  | {
      readonly kind: "message";
      readonly key: string;
      readonly message: MessageView;
      /** Follows a message of the same sender closely: its name and time are not repeated. */
      readonly grouped: boolean;
    };

/** Messages of one sender this close together read as one run. */
const groupWithinMs = 5 * 60_000;

const samePerson = (a: PersonRef, b: PersonRef) => a.kind === b.kind && a.id === b.id;

/**
 * The rows of a history (oldest first): a date separator before each new day, the unread
 * divider before `firstUnreadId`, and consecutive messages of one sender grouped, so each run
 * shows the name and time once. A separator or divider always starts a new run.
 */
export function historyRows(messages: readonly MessageView[], firstUnreadId: string | null): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let previous: MessageView | null = null;
  for (const message of messages) {
    let grouped = previous !== null;
    if (!previous || dayKey(previous.sentAt) !== dayKey(message.sentAt)) {
      rows.push({ kind: "day", key: `day-${dayKey(message.sentAt)}`, at: message.sentAt });
      grouped = false;
    }
    if (message.id === firstUnreadId) {
      rows.push({ kind: "unread", key: "unread" });
      grouped = false;
    }
    if (
      previous &&
      (!samePerson(previous.sender, message.sender) ||
        Date.parse(message.sentAt) - Date.parse(previous.sentAt) > groupWithinMs)
    ) {
      grouped = false;
    }
    rows.push({ kind: "message", key: message.id, message, grouped });
    previous = message;
  }
  return rows;
}
