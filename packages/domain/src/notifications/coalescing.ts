import { notificationChannels, notificationLink, notificationPayload } from "./channels";
import type { NotificationContext, NotificationEvent, NotificationState, NotificationStep } from "./model";

type Pending = Extract<NotificationState, { readonly status: "pending" }>;

const idle: NotificationState = Object.freeze({ status: "idle" });

/**
 * NOTIF-1, NOTIF-2, DEL-4, NOTIF-6: the pure coalescing policy of one recipient's chat
 * notifications. The first unread message starts a burst and its timer; later messages join it;
 * reading or deleting every message of the burst cancels it; the timer sends one notification.
 * The store keeps which messages a burst is about and tells the policy how many remain.
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
    state: { status: "pending", burstId, dueAt: new Date(dueAtMs) },
    actions: [
      { type: "schedule", burstId, at: new Date(dueAtMs) },
      { type: "join", burstId, message: event.message },
    ],
  };
}

function fromPending(state: Pending, event: NotificationEvent, ctx: NotificationContext): NotificationStep {
  switch (event.type) {
    case "message.posted":
      // Later messages join the burst without moving its timer. Events are delivered at least
      // once: the store keeps a message once, however often it joins.
      return { state, actions: [{ type: "join", burstId: state.burstId, message: event.message }] };
    case "message.deleted":
    case "conversation.read":
      // NOTIF-2, DEL-4: once nothing the burst is about is unread any more, it is cancelled.
      if (event.remaining > 0) return unchanged(state);
      return { state: idle, actions: [{ type: "cancel", burstId: state.burstId }] };
    case "timer.fired":
      return fire(state, event, ctx);
  }
}

function fire(
  state: Pending,
  event: Extract<NotificationEvent, { type: "timer.fired" }>,
  ctx: NotificationContext,
): NotificationStep {
  const { burstId, messageCount } = event;
  // A timer of a burst that was cancelled or already sent; queues cannot always unschedule jobs.
  if (burstId !== state.burstId) return unchanged(state);
  // Queues and clocks drift: a timer that fires early is put back for the time still due.
  if (ctx.now.getTime() < state.dueAt.getTime()) {
    return { state, actions: [{ type: "reschedule", burstId, at: new Date(state.dueAt.getTime()) }] };
  }
  const channels = notificationChannels(ctx.clinic, ctx.recipient);
  // The burst ends even when nothing can be sent, so the next message starts a fresh delay.
  // An empty burst cannot arise from this policy, but a stored state might be damaged (DEL-4).
  if (channels.length === 0 || messageCount <= 0) return { state: idle, actions: [] };
  return {
    state: idle,
    actions: [
      {
        type: "send",
        burstId,
        channels,
        payload: notificationPayload(
          ctx.clinic.name,
          notificationLink(ctx.signInUrl, event.conversationIds),
          ctx.recipient.person.kind,
          ctx.clinic.guidelines,
        ),
        messageCount,
      },
    ],
  };
}

function unchanged(state: NotificationState): NotificationStep {
  return { state, actions: [] };
}
