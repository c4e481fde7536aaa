import type { Generated, GeneratedAlways } from "kysely";
import type { PersonKind } from "./Database";

// Conversations, their participants, timelines, messages and event log, kept beside the others in the
// one Database interface.

/** Conversations; `last_seq` is the last message number taken (a post takes `last_seq + 1`). */
export interface ConversationsTable {
  clinic_id: string;
  id: string;
  kind: "patient" | "team";
  patient_id: string | null;
  key: string;
  created_at: Date;
  last_activity_at: Date;
  last_seq: number;
  /** INBOX-1: the inbox state of a patient conversation. */
  inbox_status: Generated<"open" | "closed">;
  assignee_id: string | null;
  last_sender_kind: PersonKind | null;
  last_auto_reply_at: Date | null;
  /** A Team Chat's name; null: titled by its participants. */
  name: Generated<string | null>;
}

/**
 * Membership and read state. `last_activity_at` copies the conversation's so a person's list is
 * read in order straight from one index (MSG-3).
 */
export interface ConversationParticipantsTable {
  clinic_id: string;
  conversation_id: string;
  person_kind: PersonKind;
  person_id: string;
  staff_id: GeneratedAlways<string | null>;
  patient_id: GeneratedAlways<string | null>;
  added_at: Date;
  read_up_to_seq: Generated<number>;
  last_activity_at: Date;
  /** INBOX-3: the participant marked the conversation unread for themselves. */
  marked_unread: Generated<boolean>;
  /** BCAST-1: out of the participant's list and inbox until someone else writes or they open it. */
  quiet: Generated<boolean>;
  /**
   * INBOX-1: the conversation's inbox state, copied by a trigger (migration 0038); the status is
   * null unless it is a patient conversation someone wrote in.
   */
  inbox_status: Generated<"open" | "closed" | null>;
  inbox_assignee_id: Generated<string | null>;
  inbox_last_sender_kind: Generated<PersonKind | null>;
  /** The copy awaits the conversation's next change: until then its readers take the conversation's state. */
  inbox_stale: Generated<boolean>;
}

/** The timeline of a patient conversation (INBOX-2, HOURS-3): ids and times only. */
export interface ConversationTimelineTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  kind:
    | "claimed"
    | "assigned"
    | "unassigned"
    | "closed"
    | "reopened"
    | "participant_added"
    | "auto_reply"
    | "renamed";
  actor_kind: PersonKind | null;
  actor_id: string | null;
  subject_staff_id: string | null;
  after_seq: number;
  at: Date;
  next_opening_at: Date | null;
}

/** Messages; a deleted one keeps only the facts of its deletion (DEL-2, DEL-3). */
export interface MessagesTable {
  clinic_id: string;
  id: string;
  conversation_id: string;
  seq: number;
  client_id: string;
  sender_kind: PersonKind;
  sender_id: string;
  sent_at: Date;
  body_kind: "text" | "file" | "deleted";
  text: string | null;
  file_id: string | null;
  deleted_at: Date | null;
  deleted_by_kind: PersonKind | null;
  deleted_by_id: string | null;
}

/** The ordered event log (MSG-2); `id` is the replay cursor. */
export interface ConversationEventsTable {
  id: GeneratedAlways<string>;
  clinic_id: string;
  conversation_id: string | null;
  type: string;
  message_id: string | null;
  person_kind: PersonKind | null;
  person_id: string | null;
  seq: number | null;
  at: Date;
}
