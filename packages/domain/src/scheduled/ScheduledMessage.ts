import type { DomainErrorCode } from "../shared/DomainError";

/** Where a scheduled message stands (SCHED-1): waiting, gone out, cancelled, or refused when it was due. */
export type ScheduledStatus = "pending" | "sent" | "cancelled" | "refused";

/**
 * A message a staff member wrote to go out later (SCHED-1). It is posted at `sendAt` with its
 * client id through the one posting pipeline, as its author, with every rule checked then.
 */
export interface ScheduledMessage {
  readonly id: string;
  readonly clinicId: string;
  readonly conversationId: string;
  /** The staff member who wrote it and as whom it goes out. */
  readonly authorId: string;
  /** The client id it is posted with (MSG-1): a second attempt finds the message the first posted. */
  readonly clientId: string;
  readonly text: string;
  readonly sendAt: Date;
  readonly status: ScheduledStatus;
  /** The posted message, once sent. */
  readonly messageId: string | null;
  /** Why it was refused when it was due. */
  readonly refusal: DomainErrorCode | null;
  /** True once the author has been emailed about the refusal. */
  readonly authorEmailed: boolean;
  readonly createdAt: Date;
}

/** The scheduled messages of the current clinic. */
export interface ScheduledMessageStore {
  /** One scheduled message, held for the rest of the unit of work: sending, editing and cancelling take turns. */
  reserve(scheduledId: string): Promise<ScheduledMessage | null>;
  /** The one its author scheduled with the client id (a retried request). */
  byClientId(authorId: string, clientId: string): Promise<ScheduledMessage | null>;
  /** Adds one, or replaces the one with the same id. */
  save(message: ScheduledMessage): Promise<void>;
  /** A conversation's scheduled messages that are pending or refused, by time to go. */
  inConversation(conversationId: string): Promise<ScheduledMessage[]>;
}

/** When a scheduled message is due: ids and the time it was scheduled for, never its text. */
export interface ScheduledDue {
  readonly clinicId: string;
  readonly scheduledId: string;
  /** The time this entry was made for: an entry for a time the message was moved from is stale. */
  readonly sendAt: Date;
}

/**
 * The queue that hands a scheduled message to a worker at its time; enqueued inside the unit of
 * work, so it commits with the message. One entry per scheduled message and time.
 */
export interface ScheduledMessageQueue {
  /** Hands the message to a worker at `due.sendAt`. */
  schedule(due: ScheduledDue): Promise<void>;
}
