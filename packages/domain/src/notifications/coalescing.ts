import { notificationChannels, notificationPayload } from "./channels";
import type {
  NotificationContext,
  NotificationEvent,
  NotificationState,
  NotificationStep,
  PendingMessage,
} from "./model";

type Pending = Extract<NotificationState, { readonly status: "pending" }>;

const idle: NotificationState = Object.freeze({ status: "idle" });

/**
 * NOTIF-1, NOTIF-2, DEL-4, NOTIF-6: the pure coalescing policy of one recipient's chat
 * notifications. The first unread message starts a burst and its timer; later messages join it;
 * reading or deleting every message of the burst cancels it; the timer sends one notification.
 */
export function nextNotificationStep(
  state: NotificationState,
  event: NotificationEvent,
  ctx: NotificationContext,
): NotificationStep {
  return state.status === "idle" ? fromIdle(state, event, ctx) : fromPending(state, event, ctx);
}

function fromIdle(
  state: NotificationState,
  event: NotificationEvent,
  ctx: NotificationContext,
): NotificationStep {
  // Deletions, reads and timers have nothing to act on without a burst; a timer here is stale.
  if (event.type !== "message.posted") return unchanged(state);
  const burstId = ctx.nextBurstId;
  // NOTIF-1: the delay runs from the first unread message and is not pushed back by later ones.
  const dueAtMs = ctx.now.getTime() + ctx.delayMs;
  return {
    state: { status: "pending", burstId, dueAt: new Date(dueAtMs), messages: [event.message] },
    actions: [{ type: "schedule", burstId, at: new Date(dueAtMs) }],
  };
}

function fromPending(state: Pending, event: NotificationEvent, ctx: NotificationContext): NotificationStep {
  switch (event.type) {
    case "message.posted": {
      // Events are delivered at least once: a repeated post must not count twice.
      if (state.messages.some((m) => m.messageId === event.message.messageId)) return unchanged(state);
      return { state: { ...state, messages: [...state.messages, event.message] }, actions: [] };
    }
    case "message.deleted":
      return keepOnly(state, (m) => m.messageId !== event.messageId);
    case "conversation.read":
      return keepOnly(state, (m) => m.conversationId !== event.conversationId || m.seq > event.upToSeq);
    case "timer.fired":
      return fire(state, event.burstId, ctx);
  }
}

/** Drops messages that are no longer unread; an emptied burst is cancelled (NOTIF-2, DEL-4). */
function keepOnly(state: Pending, stillUnread: (message: PendingMessage) => boolean): NotificationStep {
  const messages = state.messages.filter(stillUnread);
  if (messages.length === state.messages.length) return unchanged(state);
  if (messages.length === 0) return { state: idle, actions: [{ type: "cancel", burstId: state.burstId }] };
  return { state: { ...state, messages }, actions: [] };
}

function fire(state: Pending, burstId: string, ctx: NotificationContext): NotificationStep {
  // A timer of a burst that was cancelled or already sent; queues cannot always unschedule jobs.
  if (burstId !== state.burstId) return unchanged(state);
  // Queues and clocks drift: a timer that fires early is put back for the time still due.
  if (ctx.now.getTime() < state.dueAt.getTime()) {
    return { state, actions: [{ type: "reschedule", burstId, at: new Date(state.dueAt.getTime()) }] };
  }
  const channels = notificationChannels(ctx.clinic, ctx.recipient);
  // The burst ends even when nothing can be sent, so the next message starts a fresh delay.
  // An empty burst cannot arise from this policy, but a stored state might be damaged (DEL-4).
  if (channels.length === 0 || state.messages.length === 0) return { state: idle, actions: [] };
  return {
    state: idle,
    actions: [
      {
        type: "send",
        burstId,
        channels,
        payload: notificationPayload(ctx.clinic.name, ctx.signInUrl),
        messageCount: state.messages.length,
      },
    ],
  };
}

function unchanged(state: NotificationState): NotificationStep {
  return { state, actions: [] };
}
