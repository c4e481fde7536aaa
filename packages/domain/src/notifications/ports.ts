import type { PersonRef } from "../people/people";
import type {
  NotificationDelivery,
  NotificationPayload,
  NotificationState,
  NotificationTimer,
} from "./model";

/** Recipients' notification states and the delivery outbox of the current clinic. */
export interface NotificationStore {
  /** The recipient's state, locked for the rest of the unit of work; idle when none is stored. */
  state(recipient: PersonRef): Promise<NotificationState>;
  /**
   * The states of several recipients at once, in the order given, each locked for the rest of
   * the unit of work (idle when none is stored). Locks are taken in the order given: callers sort
   * the recipients, so concurrent units of work cannot deadlock. May be called while another
   * store's call is under way (the database then gets both in one round trip).
   */
  lockStates(recipients: readonly PersonRef[]): Promise<NotificationState[]>;
  saveState(recipient: PersonRef, state: NotificationState): Promise<void>;
  /** Records deliveries before they are attempted (at-least-once, NOTIF-5). */
  addDeliveries(deliveries: readonly NotificationDelivery[]): Promise<void>;
  /** Deliveries of a burst not yet delivered. */
  undelivered(burstId: string): Promise<NotificationDelivery[]>;
  markDelivered(deliveryId: string, at: Date): Promise<void>;
}

/** Schedules the timer of a burst; enqueued inside the unit of work, so it commits with the message. */
export interface NotificationQueue {
  schedule(timer: NotificationTimer, runAt: Date): Promise<void>;
}

/** Sends one PHI-free chat notification email. */
export interface EmailSender {
  send(to: string, payload: NotificationPayload): Promise<void>;
}

/** Sends one PHI-free chat notification text message. */
export interface SmsSender {
  send(to: string, payload: NotificationPayload): Promise<void>;
}
