import type { PersonRef } from "../people/people";

/** What the timeline of a patient conversation shows besides its messages (INBOX-2, HOURS-3). */
export type TimelineKind =
  | "claimed"
  | "assigned"
  | "unassigned"
  | "closed"
  | "reopened"
  | "participant_added"
  | "auto_reply"
  /** A participant named or renamed a Team Chat. */
  | "renamed";

/**
 * One timeline entry: who did what to whom, placed after the message numbered `afterSeq`. Ids
 * only, no content; an automatic reply carries the next opening it names (HOURS-3).
 */
export interface TimelineEntry {
  readonly id: string;
  readonly conversationId: string;
  readonly kind: TimelineKind;
  /** Who acted; null for what the clinic does by itself (the automatic reply). */
  readonly actor: PersonRef | null;
  /** The staff member assigned, or added as a participant. */
  readonly subjectStaffId: string | null;
  /** The conversation's last message number when it happened. */
  readonly afterSeq: number;
  readonly at: Date;
  /** For `auto_reply`: the opening it names; null when no opening is kept. */
  readonly nextOpeningAt: Date | null;
}

/** Entries a patient sees of their own conversation: only what the clinic tells them (HOURS-3). */
export function visibleToPatient(entry: TimelineEntry): boolean {
  return entry.kind === "auto_reply";
}
