import type { Generated, GeneratedAlways } from "kysely";
import type { Int8, PersonKind } from "./Database";

/** A clinic's webhook endpoints (INTEG-4). */
export interface WebhookEndpointsTable {
  clinic_id: string;
  id: string;
  url: string;
  secret: string;
  enabled: Generated<boolean>;
  created_at: Date;
}

/** One event for one endpoint, waiting or sent (INTEG-4): ids, a count, times; never content. */
export interface WebhookEventsTable {
  clinic_id: string;
  endpoint_id: string;
  position: GeneratedAlways<Int8>;
  id: string;
  conversation_id: string;
  type: "unread_count.changed" | "conversation.started" | "conversation.closed" | "conversation.assigned";
  person_kind: PersonKind | null;
  person_id: string | null;
  unread_count: number | null;
  assignee_id: string | null;
  occurred_at: Date;
  status: Generated<"pending" | "delivered" | "failed">;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date;
  held_until: Date | null;
}
