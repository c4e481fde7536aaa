import { loadClinic } from "../clinic/loadClinic";
import type { NotificationDeps } from "../shared/deps";
import { smsNotification } from "./channels";
import { nextNotificationStep } from "./coalescing";
import type { NotificationDelivery, NotificationTimer } from "./model";
import { notificationContext, notificationRecipient } from "./notifyRecipients";

/** What one timer run did. */
export interface TimerOutcome {
  /** Deliveries sent in this run. */
  readonly delivered: number;
  /** Deliveries that failed and will be retried when the job is retried. */
  readonly failed: number;
}

/**
 * The notification worker's job (NOTIF-1 … NOTIF-5). When a burst's timer fires, the coalescing
 * policy decides; a send is first recorded as one delivery per channel (an outbox, committed with
 * the state change), then each delivery is sent and marked. A crash between sending and marking
 * repeats at most that one delivery; a failing provider leaves its delivery pending and the job
 * throws so the queue retries it with back-off. Messages are never blocked by any of this.
 */
export async function handleNotificationTimer(
  deps: NotificationDeps,
  timer: NotificationTimer,
): Promise<TimerOutcome> {
  await deps.uow.run(timer.clinicId, async (stores) => {
    const clinic = await loadClinic(stores, timer.clinicId);
    const recipient = await notificationRecipient(stores, timer.recipient);
    const state = await stores.notifications.state(timer.recipient);
    if (!recipient) {
      if (state.status !== "idle") await stores.notifications.saveState(timer.recipient, { status: "idle" });
      return;
    }
    const current = state.status === "pending" && state.burstId === timer.burstId;
    const messageCount = current ? await stores.notifications.burstSize(timer.recipient, timer.burstId) : 0;
    const conversationIds =
      messageCount > 0 ? await stores.notifications.burstConversations(timer.recipient, timer.burstId) : [];
    const step = nextNotificationStep(
      state,
      { type: "timer.fired", burstId: timer.burstId, messageCount, conversationIds },
      notificationContext(deps, clinic, recipient),
    );
    if (step.state !== state) await stores.notifications.saveState(timer.recipient, step.state);
    const now = deps.clock.now();
    for (const action of step.actions) {
      if (action.type === "reschedule" || action.type === "schedule") {
        await stores.notificationQueue.schedule([
          { timer: { ...timer, burstId: action.burstId }, runAt: action.at },
        ]);
      } else if (action.type === "send") {
        const deliveries: NotificationDelivery[] = [];
        for (const channel of action.channels) {
          const to = channel === "email" ? recipient.email : recipient.mobilePhone;
          if (!to) continue;
          deliveries.push({
            id: deps.ids.newId(),
            clinicId: timer.clinicId,
            burstId: action.burstId,
            recipient: timer.recipient,
            channel,
            to,
            payload: action.payload,
            createdAt: now,
            deliveredAt: null,
          });
        }
        await stores.notifications.addDeliveries(deliveries);
      }
    }
  });

  const pending = await deps.uow.run(timer.clinicId, (stores) =>
    stores.notifications.undelivered(timer.burstId),
  );
  let delivered = 0;
  const failures: unknown[] = [];
  for (const delivery of pending) {
    try {
      if (delivery.channel === "email") await deps.email.send(delivery.to, delivery.payload);
      else await deps.sms.send(delivery.to, smsNotification(delivery.payload));
    } catch (error) {
      failures.push(error);
      continue;
    }
    await deps.uow.run(timer.clinicId, (stores) =>
      stores.notifications.markDelivered(delivery.id, deps.clock.now()),
    );
    delivered++;
  }
  if (failures.length > 0) {
    // No addresses or content in the error: only counts (SEC-5). The queue retries the job.
    throw new AggregateError(
      failures,
      `${failures.length} of ${pending.length} notification deliveries failed`,
    );
  }
  return { delivered, failed: 0 };
}
