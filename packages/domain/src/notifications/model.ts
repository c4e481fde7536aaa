import type { PersonRef } from "../people/people";

/** How a notification reaches a person. */
export type NotificationChannel = "email" | "sms";

/** An unread message a pending notification is about. */
export interface PendingMessage {
  readonly messageId: string;
  readonly conversationId: string;
  readonly seq: number;
}

/**
 * One recipient's notification state (NOTIF-1): idle, or a burst waiting for its timer. The
 * messages a burst is about are kept beside it by the store, one entry each (see
 * `NotificationStore.joinBurst`), so a message joining a burst costs the same however many
 * joined before it.
 */
export type NotificationState =
  | { readonly status: "idle" }
  | { readonly status: "pending"; readonly burstId: string; readonly dueAt: Date };

/** What happened, as the use cases tell it; see {@link NotificationEvent} for what the policy sees. */
export type NotificationCause =
  | { readonly type: "message.posted"; readonly message: PendingMessage }
  | { readonly type: "message.deleted"; readonly messageId: string }
  | { readonly type: "conversation.read"; readonly conversationId: string; readonly upToSeq: number };

/**
 * What can happen to a recipient's notification state, with the facts of the burst the store
 * knows: after a deletion or a read, how many of the burst's messages are still unread (the store
 * has dropped the ones that event made read or deleted); when the timer fires, how many the burst
 * holds. Those counts are 0 when there is no burst.
 */
export type NotificationEvent =
  | { readonly type: "message.posted"; readonly message: PendingMessage }
  | { readonly type: "message.deleted"; readonly messageId: string; readonly remaining: number }
  | {
      readonly type: "conversation.read";
      readonly conversationId: string;
      readonly upToSeq: number;
      readonly remaining: number;
    }
  | {
      readonly type: "timer.fired";
      readonly burstId: string;
      readonly messageCount: number;
      /** The distinct conversations of the burst's messages (the link opens the one, or the list). */
      readonly conversationIds: readonly string[];
    };

/** Which messages leave a burst: one (deleted), or a conversation's up to a number (read). */
export type BurstLeaving =
  | { readonly messageId: string }
  | { readonly conversationId: string; readonly upToSeq: number };

/** Who a notification is for, with the contact facts the channel rules need (NOTIF-3). */
export interface NotificationRecipient {
  readonly person: PersonRef;
  readonly email: string | null;
  readonly mobilePhone: string | null;
  readonly smsConsent: boolean;
  /** Staff may turn chat emails off; ignored for patients, whose chat email cannot be disabled (NOTIF-3). */
  readonly emailNotifications: boolean;
}

/**
 * The content of a notification: PHI-free by construction (NOTIF-4). It is built only from the
 * clinic's name and a sign-in link; no message text, file name or patient name can reach it.
 */
export interface NotificationPayload {
  readonly subject: string;
  readonly text: string;
  readonly clinicName: string;
  readonly link: string;
}

/** What the caller of the coalescing policy must do next. */
export type NotificationAction =
  | { readonly type: "schedule"; readonly burstId: string; readonly at: Date }
  | { readonly type: "reschedule"; readonly burstId: string; readonly at: Date }
  | { readonly type: "cancel"; readonly burstId: string }
  /** The message becomes one the burst is about (the store ignores a message it holds already). */
  | { readonly type: "join"; readonly burstId: string; readonly message: PendingMessage }
  | {
      readonly type: "send";
      readonly burstId: string;
      readonly channels: readonly NotificationChannel[];
      readonly payload: NotificationPayload;
      readonly messageCount: number;
    };

/** Everything besides state and event that the coalescing policy needs; all plain values. */
export interface NotificationContext {
  readonly now: Date;
  /** The delay of NOTIF-1 in milliseconds. */
  readonly delayMs: number;
  /** A fresh id to use if this event starts a new burst. */
  readonly nextBurstId: string;
  readonly clinic: {
    readonly name: string;
    readonly smsNotificationsEnabled: boolean;
    /** The clinic's messaging guidelines for patients (HOURS-4); empty for staff or when none are kept. */
    readonly guidelines?: string;
  };
  readonly recipient: NotificationRecipient;
  /**
   * The recipient's app (the portal for patients, the staff app for staff): the notification links
   * into it, and it asks them to sign in first when they are not.
   */
  readonly signInUrl: string;
}

/** The policy's answer: the next state and the actions to carry out. */
export interface NotificationStep {
  readonly state: NotificationState;
  readonly actions: readonly NotificationAction[];
}

/** One notification to deliver over one channel, recorded before it is sent (outbox). */
export interface NotificationDelivery {
  readonly id: string;
  readonly clinicId: string;
  readonly burstId: string;
  readonly recipient: PersonRef;
  readonly channel: NotificationChannel;
  /** The address it goes to: an email address or a mobile number. */
  readonly to: string;
  readonly payload: NotificationPayload;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

/** The timer job that fires a recipient's burst. */
export interface NotificationTimer {
  readonly clinicId: string;
  readonly recipient: PersonRef;
  readonly burstId: string;
}
