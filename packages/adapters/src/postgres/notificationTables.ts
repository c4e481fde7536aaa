import type { PersonKind } from "./Database";

// Notification states, bursts and deliveries (NOTIF-1, NOTIF-5), kept beside the others in the one
// Database interface.

/** Each recipient's notification state (NOTIF-1); the row is the per-recipient lock. */
export interface NotificationStatesTable {
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  status: "idle" | "pending";
  burst_id: string | null;
  due_at: Date | null;
}

/** The messages a recipient's pending burst is about, one row each (ids only, no PHI). */
export interface NotificationBurstMessagesTable {
  clinic_id: string;
  person_kind: PersonKind;
  person_id: string;
  burst_id: string;
  message_id: string;
  conversation_id: string;
  seq: number;
}

/** The delivery outbox (NOTIF-5). */
export interface NotificationDeliveriesTable {
  clinic_id: string;
  id: string;
  burst_id: string;
  person_kind: PersonKind;
  person_id: string;
  channel: "email" | "sms";
  to_address: string;
  payload: { subject: string; text: string; clinicName: string; link: string };
  created_at: Date;
  delivered_at: Date | null;
}
