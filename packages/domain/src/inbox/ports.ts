import type { Conversation } from "../chat/Conversation";
import type { MessageBody } from "../chat/Message";
import type { PersonRef } from "../people/people";
import type { InboxState, InboxView } from "./InboxState";
import type { TimelineEntry } from "./Timeline";

/** A page of an inbox view, most recently active first. */
export interface InboxQuery {
  readonly view: InboxView;
  readonly limit: number;
  /** Continue after this cursor (from the previous page's `nextCursor`). */
  readonly cursor?: string | null;
}

/** The last message of a conversation as an inbox row shows it: who sent it and what it is. */
export interface LastMessage {
  readonly seq: number;
  readonly sender: PersonRef;
  readonly sentAt: Date;
  readonly body: MessageBody;
}

/** One row of an inbox view (INBOX-1): the conversation, its inbox state, the last message. */
export interface InboxRow {
  readonly conversation: Conversation;
  readonly inbox: InboxState;
  readonly participants: readonly PersonRef[];
  /** Messages by others, not deleted, after the staff member's read marker (MSG-3). */
  readonly unreadCount: number;
  /** The staff member marked it unread for themselves (INBOX-3). */
  readonly markedUnread: boolean;
  readonly lastMessage: LastMessage | null;
}

/** The number of conversations in each view of one staff member (INBOX-1). */
export type InboxCounts = Readonly<Record<InboxView, number>>;

/**
 * The inbox of the current clinic: the state of each patient conversation, its timeline, and the
 * staff views over the conversations a staff member takes part in (INBOX-1 … INBOX-3). A
 * conversation that has never been saved reads as {@link newInboxState}.
 */
export interface InboxStore {
  /** The state of a patient conversation; null for Team Chat or an unknown conversation. */
  get(conversationId: string): Promise<InboxState | null>;
  /** Keeps a patient conversation's state. */
  save(state: InboxState): Promise<void>;
  /** Keeps several patient conversations' states at once, each conversation named once. */
  saveAll(states: readonly InboxState[]): Promise<void>;
  /** Appends timeline entries. */
  addTimeline(entries: readonly TimelineEntry[]): Promise<void>;
  /** A conversation's timeline entries, oldest first. */
  timeline(conversationId: string): Promise<TimelineEntry[]>;
  /** A page of a view of the staff member's patient conversations (INBOX-1). */
  list(staffId: string, query: InboxQuery): Promise<{ items: InboxRow[]; nextCursor: string | null }>;
  /** How many of the staff member's patient conversations each view holds (INBOX-1). */
  counts(staffId: string): Promise<InboxCounts>;
  /** Sets or clears a participant's "marked unread" (INBOX-3); nothing for a non-participant. */
  setMarkedUnread(conversationId: string, person: PersonRef, marked: boolean): Promise<void>;
}
