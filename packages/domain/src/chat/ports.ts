import type { Clinic } from "../clinic/Clinic";
import type { NotificationState } from "../notifications/model";
import type { Person } from "../people/Person";
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
}

/** What {@link ConversationStore.accessForPost} needs besides the conversation and the person. */
export interface PostAccessQuery {
  /** The sender's client id of the message about to be posted (MSG-1). */
  readonly clientId: string;
  /**
   * The kinds of participants (other than the person) whose notification states are locked and
   * read: who may hear of the message (NOTIF-3 is the domain's; the store only filters by kind).
   * Empty: none.
   */
  readonly lockStatesOf: readonly PersonRef["kind"][];
}

/** One post of {@link ConversationStore.accessForPosts}: who posts where, and what {@link PostAccessQuery} asks. */
export interface PostAccessRequest extends PostAccessQuery {
  readonly conversationId: string;
  readonly person: PersonRef;
}

/** A recipient's notification state, locked for the rest of the unit of work. */
export interface LockedState {
  readonly person: PersonRef;
  readonly state: NotificationState;
}

/**
 * {@link ConversationAccessFacts} read for a post, under the conversation's lock (posts of one
 * conversation queue there until the unit of work ends): `conversation.lastSeq` is the last
 * number taken, so the new message is `lastSeq + 1`.
 */
export interface PostAccessFacts extends ConversationAccessFacts {
  /** The message the person already sent here with the client id (MSG-1), read under the lock. */
  readonly sentBefore: Message | null;
  /**
   * When the person is a participant: the notification states of the other participants of the
   * kinds asked for, each locked, in lock order (by `personKey`, the order of `lockStates`
   * callers); idle when none is stored. Empty otherwise.
   */
  readonly recipientStates: readonly LockedState[];
}

/** A participant and what the directory says of them (null when not in the clinic's directory). */
export interface ParticipantFacts {
  readonly ref: PersonRef;
  readonly person: Person | null;
}

/** A message to post once: everything but its sequence number, which the store assigns. */
export type NewMessage = Omit<Message, "seq">;

/** What {@link MessageStore.postOnce} did: posted `message` now, or found it posted before. */
export interface PostedMessage {
  readonly message: Message;
  readonly created: boolean;
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
   * The access facts for posting into a conversation, in one go: the conversation is locked for
   * the rest of the unit of work (concurrent posts to it queue here, so numbers have no gaps),
   * the transaction takes its id before any event id is drawn (the live feed relies on it), and
   * then, under that lock, the message already sent with the client id and the locked
   * notification states of the possible recipients are read (see {@link PostAccessFacts}).
   * Nothing is locked when the conversation is not there.
   */
  accessForPost(conversationId: string, person: PersonRef, query: PostAccessQuery): Promise<PostAccessFacts>;
  /**
   * {@link accessForPost} for several posts at once, each into a different conversation (two
   * requests for one conversation are a programming error): the answers in the order asked, each
   * as `accessForPost` would give it. Every conversation is locked before any participant or
   * state, so a batch and single posts take their locks in the one order and cannot deadlock.
   */
  accessForPosts(requests: readonly PostAccessRequest[]): Promise<PostAccessFacts[]>;
  /** The conversation with this START-1 key, if it exists. */
  findByKey(key: string): Promise<Conversation | null>;
  /**
   * Like {@link findByKey}, and also claims the key for the rest of the unit of work, so two
   * people starting the same chat at once end in one conversation (START-1).
   */
  claimKey(key: string): Promise<Conversation | null>;
  /** Creates a conversation with its first participants. */
  create(conversation: Conversation, participants: readonly PersonRef[]): Promise<void>;
  participants(conversationId: string): Promise<Participant[]>;
  participant(conversationId: string, person: PersonRef): Promise<Participant | null>;
  addParticipant(conversationId: string, person: PersonRef, at: Date): Promise<void>;
  /**
   * Reserves the next message sequence number and records the activity time. Serialises
   * concurrent sends to one conversation, so numbers have no gaps or duplicates.
   */
  nextSeq(conversationId: string, at: Date): Promise<number>;
  /** Moves a participant's read marker forward to `seq` (never backwards); returns the marker now. */
  markRead(conversationId: string, person: PersonRef, seq: number): Promise<number>;
  /** A page of the person's conversations with unread counts (MSG-3). */
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
  /** The message this sender already sent with this client id in this conversation (MSG-1). */
  findByClientId(conversationId: string, sender: PersonRef, clientId: string): Promise<Message | null>;
  /**
   * Like {@link findByClientId}, and also claims the client id for the rest of the unit of work:
   * a concurrent send with the same id waits, then finds this one's message (MSG-1 under retries
   * that overlap).
   */
  claimClientId(conversationId: string, sender: PersonRef, clientId: string): Promise<Message | null>;
  /** Stores a new message; the sender's client ids are unique per conversation. */
  create(message: Message): Promise<void>;
  /**
   * Posts a message once per sender's client id (MSG-1). When the sender already used the client
   * id in the conversation (committed, or by an overlapping unit of work, which this one waits for)
   * nothing is written and that message comes back with `created: false`. Otherwise, in the unit
   * of work: the next sequence number is reserved with the activity time `sentAt` (as
   * {@link ConversationStore.nextSeq} does), the message is stored, and its `message.posted` event
   * is appended to the {@link EventLog}. NOT_FOUND when the conversation is not there.
   */
  postOnce(message: NewMessage): Promise<PostedMessage>;
  /**
   * Posts a message numbered under the lock of {@link ConversationStore.accessForPost}
   * (`message.seq` is its `lastSeq + 1`, its client id not used before): stores it, moves the
   * conversation's last number to `message.seq` and its activity time (and its members') to
   * `sentAt` (never backwards), and appends its `message.posted` event to the {@link EventLog}.
   * On a database the writes may go out behind (with the COMMIT): a failure then fails the unit
   * of work at its next statement or its COMMIT, and nothing of it commits.
   */
  post(message: Message): Promise<void>;
  /**
   * {@link post} for several messages at once, each into a different conversation whose lock the
   * unit of work holds (from {@link ConversationStore.accessForPosts}): on a database, one
   * statement for all of them.
   */
  postAll(messages: readonly Message[]): Promise<void>;
  /** A history page, newest first (cursor by `seq`, never offset). */
  history(conversationId: string, query: HistoryQuery): Promise<Message[]>;
  /**
   * Erases the content for good (DEL-2): the text is gone from storage, and the body becomes the
   * content-free deletion record (DEL-3).
   */
  erase(messageId: string, body: Extract<MessageBody, { kind: "deleted" }>): Promise<void>;
}

/** The ordered log of conversation events, for live updates and replay (MSG-2). */
export interface EventLog {
  /** Appends events in the current unit of work; they become visible when it commits. */
  append(events: readonly NewConversationEvent[]): Promise<void>;
  /** Events of the current clinic with id above `afterId`, oldest first. */
  after(afterId: number, limit: number): Promise<ConversationEvent[]>;
}
