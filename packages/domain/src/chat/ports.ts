import type { Clinic } from "../clinic/Clinic";
import type { InboxState } from "../inbox/InboxState";
import type { NotificationState } from "../notifications/model";
import type { ParticipantFacts, Person } from "../people/Person";
import type { Patient, PersonRef } from "../people/people";
import type { Conversation, ConversationSummary, Participant } from "./Conversation";
import type { ConversationEvent, NewConversationEvent } from "./ConversationEvent";
import type { Message, MessageBody } from "./Message";

/**
 * What the rules need to decide whether a person may use a conversation, read in one go: the
 * facts only, every decision is the domain's (`loadConversationFor`). Everything is of the unit
 * of work's clinic; what is not there reads as null (or empty).
 */
export interface ConversationAccessFacts {
  /** The clinic of the unit of work. */
  readonly clinic: Clinic | null;
  /** The person asked about, from the directory. */
  readonly person: Person | null;
  readonly conversation: Conversation | null;
  /** The conversation's participants with their directory facts (empty when it is unknown). */
  readonly participants: readonly ParticipantFacts[];
  /** The conversation's patient; null for Team Chat or an unknown conversation. */
  readonly patient: Patient | null;
  /**
   * REC-7: until when the person's latest emergency grant on the conversation runs; null or absent
   * when they hold none (read for reads only; a post's facts leave it out).
   */
  readonly emergencyUntil?: Date | null;
}

/**
 * What deciding a read of one conversation needs when the reader is already loaded (ELIG-4,
 * ELIG-5, REC-7): the conversation, whether the person takes part in it, and until when their
 * latest emergency grant on it runs (null: none).
 */
export interface ConversationStanding {
  readonly conversation: Conversation;
  readonly participating: boolean;
  readonly emergencyUntil: Date | null;
}

/** One post of {@link ConversationStore.reserveForPosting}: who posts where, with which client id. */
export interface PostingRequest {
  readonly conversationId: string;
  readonly person: PersonRef;
  /** The sender's client id of the message about to be posted (MSG-1). */
  readonly clientId: string;
  /**
   * The kinds of participants (other than the person) who may hear of the message, whose
   * notification states are reserved and read (NOTIF-3 is the domain's; the store only filters by
   * kind). Empty: none.
   */
  readonly recipientsToNotify: readonly PersonRef["kind"][];
}

/** A recipient's notification state, reserved for the rest of the unit of work. */
export interface RecipientState {
  readonly person: PersonRef;
  readonly state: NotificationState;
}

/**
 * {@link ConversationAccessFacts} read for a post, with the conversation reserved for posting
 * (posts into one conversation take turns until the unit of work ends): `conversation.lastSeq`
 * is the last number taken, so the new message is `lastSeq + 1`.
 */
export interface PostingFacts extends ConversationAccessFacts {
  /** The message the person already sent here with the client id (MSG-1), read once reserved. */
  readonly sentBefore: Message | null;
  /**
   * When the person is a participant: the notification states of the other participants of the
   * kinds asked for, each reserved, ordered by `personKey` (the order of `reserveStates`
   * callers); idle when none is stored. Empty otherwise.
   */
  readonly recipientStates: readonly RecipientState[];
  /** The inbox state of a patient conversation as reserved (INBOX-1); null for Team Chat or an unknown conversation. */
  readonly inbox: InboxState | null;
}

/** One conversation of {@link ConversationStore.openPatientConversations}. */
export interface PatientConversationOpening {
  /** The patient conversation to create when none has its key yet. */
  readonly conversation: Conversation;
  /** Who takes part: its first participants when created, or those it gains when opened. */
  readonly people: readonly PersonRef[];
  /**
   * Of `people`, those who join it quietly (BCAST-1): it stays out of their conversation list and
   * inbox until someone else writes in it. One of `people` left out of it, already a quiet member,
   * opens it and is quiet no more.
   */
  readonly quietly?: readonly PersonRef[];
}

/** A conversation opened or created by {@link ConversationStore.openPatientConversations}. */
export interface OpenedConversation {
  readonly conversation: Conversation;
  readonly created: boolean;
  /** Who of the opening's people joined the conversation now; empty when it was created. */
  readonly joined: readonly PersonRef[];
}

/** A page of a person's conversation list, most recently active first. */
export interface ConversationListQuery {
  readonly limit: number;
  /** Continue after this cursor (from the previous page's `nextCursor`). */
  readonly cursor?: string | null;
}

/** Conversations and their participants in the current clinic. */
export interface ConversationStore {
  get(conversationId: string): Promise<Conversation | null>;
  /**
   * The access facts of `person` for one conversation (ELIG-4, ELIG-5, ELIG-6): the person, the
   * conversation, its participants and patient, and the clinic, all at once.
   */
  accessFacts(conversationId: string, person: PersonRef): Promise<ConversationAccessFacts>;
  /**
   * The {@link ConversationStanding} of `person` in each of the conversations that exist in the
   * clinic, in the order asked; an unknown or foreign id is left out. For reads of many
   * conversations by one loaded reader (search's hits), where the other participants' facts
   * play no part.
   */
  standingsIn(conversationIds: readonly string[], person: PersonRef): Promise<ConversationStanding[]>;
  /**
   * Reserves conversations for posting, one post each (two requests for one conversation are a
   * programming error), and answers each post's access facts, in the order asked. A reserved
   * conversation is held for the rest of the unit of work: concurrent posts into it take turns,
   * so its numbers have no gaps. Once reserved, the message already sent with the client id and
   * the reserved notification states of the possible recipients are read (see
   * {@link PostingFacts}). Nothing is reserved for a conversation that is not there. Every
   * conversation is reserved before any participant or state, so units of work reserve in one
   * order and cannot deadlock.
   */
  reserveForPosting(requests: readonly PostingRequest[]): Promise<PostingFacts[]>;
  /**
   * The conversation with this START-1 key, if it exists, and the key claimed for the rest of the
   * unit of work, so two people starting the same chat at once end in one conversation (START-1).
   */
  claimKey(key: string): Promise<Conversation | null>;
  /**
   * START-1 for many patients at once: each opening's conversation as it is when one with its key
   * exists (every key claimed as {@link claimKey} claims it, before any is read), else created as
   * given, and every one of its people a participant; answers in the order asked. Two openings
   * never share a key.
   */
  openPatientConversations(openings: readonly PatientConversationOpening[]): Promise<OpenedConversation[]>;
  /** Creates a conversation with its first participants. */
  create(conversation: Conversation, participants: readonly PersonRef[]): Promise<void>;
  participants(conversationId: string): Promise<Participant[]>;
  participant(conversationId: string, person: PersonRef): Promise<Participant | null>;
  addParticipant(conversationId: string, person: PersonRef, at: Date): Promise<void>;
  /** Gives the conversation its name (null: none). */
  rename(conversationId: string, name: string | null): Promise<void>;
  /** Moves a participant's read marker forward to `seq` (never backwards); returns the marker now. */
  markRead(conversationId: string, person: PersonRef, seq: number): Promise<number>;
  /**
   * A page of the person's conversations with unread counts (MSG-3): only those written in at
   * least once (START-3: one opened from an entry point but never written in stays out of every
   * list, the patient's too, until its first message).
   */
  listFor(
    person: PersonRef,
    query: ConversationListQuery,
  ): Promise<{ items: ConversationSummary[]; nextCursor: string | null }>;
  /** Total unread messages of the person across conversations (MSG-3). */
  totalUnread(person: PersonRef): Promise<number>;
}

/** A page of history: messages before a sequence number, newest first. */
export interface HistoryQuery {
  readonly limit: number;
  /** Only messages with `seq` below this; absent for the newest page. */
  readonly beforeSeq?: number | null;
}

/** Messages of the current clinic. */
export interface MessageStore {
  get(messageId: string): Promise<Message | null>;
  /**
   * The messages of these ids, each once, in the order of its first id; an id of no message of
   * this clinic is left out. Opened as {@link get} opens one.
   */
  getMany(messageIds: readonly string[]): Promise<Message[]>;
  /** The message this sender already sent with this client id in this conversation (MSG-1). */
  findByClientId(conversationId: string, sender: PersonRef, clientId: string): Promise<Message | null>;
  /**
   * Posts messages, each into a conversation this unit of work reserved for posting and numbered
   * `lastSeq + 1` of it, its client id not used before (see
   * {@link ConversationStore.reserveForPosting}): stores each, moves its conversation's last
   * number to `message.seq` and its activity time (and its members') to `sentAt` (never
   * backwards), and appends its `message.posted` event to the {@link EventLog}. A failure may
   * show only when the unit of work ends; either way nothing of it commits.
   */
  post(messages: readonly Message[]): Promise<void>;
  /** A history page, newest first (cursor by `seq`, never offset). */
  history(conversationId: string, query: HistoryQuery): Promise<Message[]>;
  /**
   * Erases the messages' content for good (DEL-2): each text is gone from storage, and each body
   * becomes the same content-free deletion record (DEL-3). One write, however many messages.
   */
  erase(messageIds: readonly string[], body: Extract<MessageBody, { kind: "deleted" }>): Promise<void>;
}

/** The ordered log of conversation events, for live updates and replay (MSG-2). */
export interface EventLog {
  /** Appends events in the current unit of work; they become visible when it commits. */
  append(events: readonly NewConversationEvent[]): Promise<void>;
  /** Events of the current clinic with id above `afterId`, oldest first. */
  after(afterId: number, limit: number): Promise<ConversationEvent[]>;
}
