import type { PersonRef } from "../people/people";

/**
 * A conversation: with one patient (and one or more staff, ELIG-4), or among staff only (Team
 * Chat, ELIG-3). A patient has at most one conversation with their clinic, and a set of teammates
 * at most one team conversation (START-1): `key` makes that unique.
 */
export interface Conversation {
  readonly id: string;
  readonly clinicId: string;
  readonly kind: "patient" | "team";
  /** The patient of a patient conversation; null for Team Chat. */
  readonly patientId: string | null;
  /** Uniqueness key: `patient:ID` or `team:` + the sorted staff ids of the members who started it. */
  readonly key: string;
  readonly createdAt: Date;
  /** When the last message was posted (or the conversation created); orders the conversation list. */
  readonly lastActivityAt: Date;
  /** Sequence number of the last message posted in it; messages count from 1. */
  readonly lastSeq: number;
  /** A Team Chat's name, given by a participant; null: titled by its participants' names. */
  readonly name: string | null;
}

/** A person's membership of a conversation, with how far they have read (MSG-3). */
export interface Participant {
  readonly conversationId: string;
  readonly person: PersonRef;
  readonly addedAt: Date;
  /** The sequence number of the last message this person has read; 0 when none. */
  readonly readUpToSeq: number;
}

/** One row of a person's conversation list. */
export interface ConversationSummary {
  readonly conversation: Conversation;
  readonly participants: readonly PersonRef[];
  /** Messages by others, not deleted, after the person's read marker. */
  readonly unreadCount: number;
  readonly readUpToSeq: number;
}

/** The START-1 key of a patient conversation. */
export function patientConversationKey(patientId: string): string {
  return `patient:${patientId}`;
}

/** The START-1 key of a team conversation: the same set of staff, in any order, gives the same key. */
export function teamConversationKey(staffIds: readonly string[]): string {
  return `team:${[...new Set(staffIds)].sort().join(",")}`;
}
