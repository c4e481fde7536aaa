import type { PersonRef } from "../people/people";

/**
 * What a clinic's host system hears of (INTEG-4): a participant's unread count in a conversation
 * changed (staff member or patient), a patient conversation was started, closed, or assigned.
 */
export const webhookEventTypes = [
  "unread_count.changed",
  "conversation.started",
  "conversation.closed",
  "conversation.assigned",
] as const;
/** One kind of webhook event. */
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * A webhook event as a use case records it, before the store gives each enabled endpoint its own
 * delivery. Ids only (INTEG-4): never a name, a text or a file name. An unread count is counted by
 * the store as MSG-3 counts it, in the same unit of work, so it is the count the change left.
 */
export type WebhookEventDraft =
  | {
      readonly type: "unread_count.changed";
      readonly conversationId: string;
      /** Whose unread count changed. */
      readonly person: PersonRef;
      readonly at: Date;
    }
  | {
      readonly type: "conversation.started" | "conversation.closed";
      readonly conversationId: string;
      readonly at: Date;
    }
  | {
      readonly type: "conversation.assigned";
      readonly conversationId: string;
      /** The staff member it is assigned to now; null when it was unassigned. */
      readonly assigneeId: string | null;
      readonly at: Date;
    };

/** One event as recorded for one endpoint: what its body is made of, and nothing more. */
export interface WebhookEventFacts {
  /** The event's id: the same for every attempt, so a receiver can drop a repeat. */
  readonly id: string;
  readonly clinicId: string;
  readonly type: WebhookEventType;
  readonly conversationId: string;
  /** Whose count changed, for `unread_count.changed`. */
  readonly person: PersonRef | null;
  /** The unread count after the change, for `unread_count.changed`. */
  readonly unreadCount: number | null;
  /** For `conversation.assigned`: the assignee now (null: unassigned). */
  readonly assigneeId: string | null;
  readonly occurredAt: Date;
}

/** The JSON body of a webhook request (INTEG-4): ids, counts, a type and a time. */
export interface WebhookBody {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly clinicId: string;
  readonly conversationId: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, string | number | null>>;
}

/**
 * The body of an event. It is built from ids and counts only, field by field, so nothing else
 * can reach a receiver (INTEG-4, SEC-5).
 */
export function webhookBody(event: WebhookEventFacts): WebhookBody {
  const base = {
    id: event.id,
    type: event.type,
    clinicId: event.clinicId,
    conversationId: event.conversationId,
    occurredAt: event.occurredAt.toISOString(),
  };
  switch (event.type) {
    case "unread_count.changed":
      return {
        ...base,
        data: {
          ...(event.person?.kind === "patient"
            ? { patientId: event.person.id }
            : { staffId: event.person?.id ?? null }),
          unreadCount: event.unreadCount ?? 0,
        },
      };
    case "conversation.assigned":
      return { ...base, data: { assigneeStaffId: event.assigneeId } };
    default:
      return { ...base, data: {} };
  }
}

/**
 * Events reach an endpoint in the order they happened within one conversation: a conversation is
 * the unit of order, and one endpoint's failing receiver holds back only its own deliveries.
 */
export function orderingKey(event: Pick<WebhookEventFacts, "conversationId">): string {
  return event.conversationId;
}
