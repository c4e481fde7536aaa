import type { PersonRef } from "../people/people";
import type {
  BurstLeaving,
  NotificationDelivery,
  NotificationPayload,
  NotificationState,
  PendingMessage,
} from "./model";
import type { BurstJoin, StateChange, TimerChange } from "./notificationChanges";

/** Recipients' notification states and the delivery outbox of the current clinic. */
export interface NotificationStore {
  /** The recipient's state, reserved for the rest of the unit of work; idle when none is stored. */
  state(recipient: PersonRef): Promise<NotificationState>;
  /**
   * The states of several recipients at once, in the order given, each reserved for the rest of
   * the unit of work (idle when none is stored). They are reserved in the order given: callers
   * sort the recipients, so concurrent units of work cannot deadlock.
   */
  reserveStates(recipients: readonly PersonRef[]): Promise<NotificationState[]>;
  /**
   * Saves a state reserved by {@link NotificationStore.reserveStates} in this unit of work.
   * Saving idle also forgets the messages of the burst that ended, so a recipient at rest holds
   * nothing.
   */
  saveState(recipient: PersonRef, state: NotificationState): Promise<void>;
  /** {@link NotificationStore.saveState} of several recipients at once, each named once. */
  saveStates(changes: readonly StateChange[]): Promise<void>;
  /**
   * Adds a message to the recipient's burst, one entry per message: a message it holds already is
   * ignored (events may arrive twice). The cost does not depend on how many the burst holds. The
   * recipient's state is reserved by the caller.
   */
  joinBurst(recipient: PersonRef, burstId: string, message: PendingMessage): Promise<void>;
  /** {@link NotificationStore.joinBurst} of several messages and recipients at once. */
  joinBursts(joins: readonly BurstJoin[]): Promise<void>;
  /**
   * Drops the burst's messages that `leaving` names (one deleted message, or a conversation's
   * messages up to a number, read) and answers how many of the burst's messages remain.
   */
  leaveBurst(recipient: PersonRef, burstId: string, leaving: BurstLeaving): Promise<number>;
  /** Who holds which of these messages in a burst (DEL-4: they hear of its deletion), in no particular order. */
  burstsHolding(messageIds: readonly string[]): Promise<{ person: PersonRef; messageId: string }[]>;
  /** How many messages the recipient's burst holds. */
  burstSize(recipient: PersonRef, burstId: string): Promise<number>;
  /** The distinct conversations of the recipient's burst's messages, in no particular order. */
  burstConversations(recipient: PersonRef, burstId: string): Promise<string[]>;
  /** Records deliveries before they are attempted (at-least-once, NOTIF-5). */
  addDeliveries(deliveries: readonly NotificationDelivery[]): Promise<void>;
  /** Deliveries of a burst not yet delivered. */
  undelivered(burstId: string): Promise<NotificationDelivery[]>;
  markDelivered(deliveryId: string, at: Date): Promise<void>;
}

/**
 * Schedules the timers of bursts, each due at its `runAt`; enqueued inside the unit of work, so
 * they commit with the messages. A burst's timer already waiting stays as it is.
 */
export interface NotificationQueue {
  schedule(timers: readonly TimerChange[]): Promise<void>;
}

/** Sends one PHI-free chat notification email. */
export interface EmailSender {
  send(to: string, payload: NotificationPayload): Promise<void>;
}

/** Sends one PHI-free chat notification text message. */
export interface SmsSender {
  send(to: string, payload: NotificationPayload): Promise<void>;
}
