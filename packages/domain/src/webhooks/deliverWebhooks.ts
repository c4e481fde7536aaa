import type { Clock } from "../shared/ports";
import type { UnitOfWork } from "../shared/UnitOfWork";
import type { WebhookDelivery, WebhookSender } from "./ports";
import { afterAttempt, type WebhookRetryPolicy, webhookRetryPolicy } from "./webhookRules";

/** What the delivery worker needs. */
export interface WebhookWorkerDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly sender: WebhookSender;
  /** The retry schedule; {@link webhookRetryPolicy} unless set. */
  readonly retry?: WebhookRetryPolicy;
  /**
   * How long a worker holds a delivery it is sending, in seconds: longer than the sender's
   * timeout, so that no other worker sends it or a later event meanwhile (default 60).
   */
  readonly holdSeconds?: number;
}

/** What a delivery run did, and when the conversation's next waiting event is due (null: none waits). */
export interface DeliveryRun {
  readonly delivered: number;
  readonly failed: number;
  readonly retried: number;
  readonly nextDueAt: Date | null;
}

/**
 * Delivers the waiting webhook events of one conversation (INTEG-4): to each endpoint its oldest
 * undelivered event, one at a time, so that it hears of the conversation in order; an event the
 * receiver does not accept waits for its next attempt under the retry schedule and holds back the
 * later ones of that endpoint only. Runs until nothing due is left; no unit of work stays open
 * while a request is on its way.
 */
export async function deliverWebhooks(
  deps: WebhookWorkerDeps,
  job: { readonly clinicId: string; readonly conversationId: string },
): Promise<DeliveryRun> {
  const policy = deps.retry ?? webhookRetryPolicy;
  const holdMs = (deps.holdSeconds ?? 60) * 1000;
  let delivered = 0;
  let failed = 0;
  let retried = 0;
  for (;;) {
    const now = deps.clock.now();
    const taken = await deps.uow.run(job.clinicId, (stores) =>
      stores.webhooks.takeNext(job.conversationId, now, new Date(now.getTime() + holdMs)),
    );
    if (taken.length === 0) break;
    const answers = await Promise.all(taken.map((delivery) => attempt(deps.sender, delivery)));
    const at = deps.clock.now();
    await deps.uow.run(job.clinicId, async (stores) => {
      for (const [i, delivery] of taken.entries()) {
        const statusCode = answers[i] ?? null;
        const step = afterAttempt(policy, delivery.attempts + 1, statusCode, at);
        if (step.status === "delivered") delivered++;
        else if (step.status === "failed") failed++;
        else retried++;
        await stores.webhooks.recordAttempt(delivery, { at, statusCode, step });
      }
    });
  }
  const nextDueAt = await deps.uow.run(job.clinicId, (stores) => stores.webhooks.nextDue(job.conversationId));
  return { delivered, failed, retried, nextDueAt };
}

/** The receiver's status; null when the request failed on its way (refused, timed out). */
async function attempt(sender: WebhookSender, delivery: WebhookDelivery): Promise<number | null> {
  try {
    return (await sender.send(delivery)).statusCode;
  } catch {
    return null;
  }
}
