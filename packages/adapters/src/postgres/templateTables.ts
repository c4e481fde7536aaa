/** Reply templates (TPL-1): the clinic's have no owner. */
export interface MessageTemplatesTable {
  clinic_id: string;
  id: string;
  scope: "clinic" | "personal";
  owner_id: string | null;
  name: string;
  text: string;
  updated_at: Date;
}

/** Messages scheduled for later (SCHED-1) and what became of each. */
export interface ScheduledMessagesTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  author_id: string;
  client_id: string;
  text: string;
  send_at: Date;
  status: "pending" | "sent" | "cancelled" | "refused";
  message_id: string | null;
  refusal: string | null;
  author_emailed: boolean;
  created_at: Date;
}
