import type { WebhookEventDraft, WebhookEventFacts } from "./WebhookEvent";
import type { DeliveryStep } from "./webhookRules";

/** An endpoint a clinic's admin registered (INTEG-4). The signing secret is never shown again. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly clinicId: string;
  readonly url: string;
  readonly enabled: boolean;
  readonly createdAt: Date;
}

/** One line of an endpoint's delivery log: ids, type, state and times, never a body. */
export interface WebhookDeliveryRecord {
  readonly eventId: string;
  readonly type: WebhookEventFacts["type"];
  readonly conversationId: string;
  readonly status: "pending" | "delivered" | "failed";
  readonly attempts: number;
  /** The receiver's HTTP status of the last attempt; null when none answered. */
  readonly lastStatusCode: number | null;
  readonly createdAt: Date;
  readonly lastAttemptAt: Date | null;
}

/** One event on its way to one endpoint, with what signing it needs. */
export interface WebhookDelivery {
  readonly event: WebhookEventFacts;
  readonly endpointId: string;
  readonly url: string;
  readonly secret: string;
  /** Attempts made before this one. */
  readonly attempts: number;
}

/**
 * The webhooks of the current clinic: its endpoints, and the outbox of events waiting for them.
 * Events are recorded in the unit of work of the change they tell of, so they commit with it or
 * not at all; the delivery worker takes them from here.
 */
export interface WebhookStore {
  endpoints(): Promise<WebhookEndpoint[]>;
  addEndpoint(endpoint: WebhookEndpoint, secret: string): Promise<void>;
  /** Switches an endpoint on or off; false when there is no such endpoint. */
  setEnabled(endpointId: string, enabled: boolean): Promise<boolean>;
  /** Removes an endpoint and its deliveries; false when there is no such endpoint. */
  removeEndpoint(endpointId: string): Promise<boolean>;
  /** The latest deliveries to an endpoint, newest first. */
  deliveryLog(endpointId: string, limit: number): Promise<WebhookDeliveryRecord[]>;
  /**
   * Records events for every enabled endpoint, in order, each with a new event id; an unread
   * count is counted now (MSG-3). Nothing is recorded when no endpoint is enabled.
   */
  record(events: readonly WebhookEventDraft[]): Promise<void>;
  /**
   * Takes, for each endpoint, its oldest undelivered event of the conversation when that one is
   * due at `now` and nobody else holds it; holds it until `holdUntil` so that no other worker
   * sends it or a later one meanwhile (the order of INTEG-4).
   */
  takeNext(conversationId: string, now: Date, holdUntil: Date): Promise<WebhookDelivery[]>;
  /** When the next attempt is due of the conversation's events that wait (each endpoint's oldest); null: none waits. */
  nextDue(conversationId: string): Promise<Date | null>;
  /**
   * Forgets each endpoint's settled events (delivered, or given up on) beyond its newest `keep`
   * events; events still waiting are never forgotten. Answers how many went.
   */
  forgetSettled(keep: number): Promise<number>;
  /** Keeps the outcome of an attempt and lets the delivery go. */
  recordAttempt(
    delivery: Pick<WebhookDelivery, "endpointId" | "event">,
    attempt: { readonly at: Date; readonly statusCode: number | null; readonly step: DeliveryStep },
  ): Promise<void>;
}

/** Asks the delivery worker to deliver a conversation's events, in the unit of work's transaction. */
export interface WebhookQueue {
  /** The worker delivers what waits for the conversation, no earlier than `runAt` when given. */
  schedule(clinicId: string, conversationId: string, runAt?: Date): Promise<void>;
}

/** Sends one signed request; answers the receiver's status, or null when none came (INTEG-4). */
export interface WebhookSender {
  send(delivery: WebhookDelivery): Promise<{ readonly statusCode: number | null }>;
}

/** Makes the signing secret of a new endpoint: random, shown to the admin once. */
export interface SigningSecrets {
  newSecret(): string;
}
