import type { PersonRef } from "../people/people";

/**
 * What happened that participants should see live (MSG-2). Events carry ids, never content, so
 * the event log holds no PHI and deletion leaves nothing behind in it (DEL-2). `conversationId`
 * is null for clinic-wide events, such as a settings change that disables composers (ENT-4).
 */
export type ConversationEventType =
  | "conversation.created"
  | "participant.added"
  | "message.posted"
  | "message.deleted"
  | "conversation.read"
  | "clinic.entitlements_changed"
  /** A participant named or renamed the conversation (`person`); its participants refetch it. */
  | "conversation.renamed"
  /** INBOX-2, INBOX-3: a patient conversation's inbox state or timeline changed (`person` acted); staff only. */
  | "inbox.changed"
  /** HOURS-3: the automatic reply was added to the conversation's timeline. */
  | "conversation.auto_replied"
  /** FILE-7: a shared image's renditions are ready (or it cannot be previewed); its viewers ask for them once. */
  | "file.preview_ready"
  /** ADMIN-2, ELIG-6: an admin changed a staff member's standing (`person`): their streams check it again at once. */
  | "team.member_changed";

/** An event before the log numbers it. */
export interface NewConversationEvent {
  readonly clinicId: string;
  readonly conversationId: string | null;
  readonly type: ConversationEventType;
  readonly messageId: string | null;
  /** Who caused it (the sender, the deleter, the reader, the person added…). */
  readonly person: PersonRef | null;
  /** For `conversation.read`: the sequence number read up to. */
  readonly seq: number | null;
  readonly at: Date;
}

/** An event as stored: numbered by the log in commit-compatible order, for replay after a reconnect. */
export interface ConversationEvent extends NewConversationEvent {
  readonly id: number;
}
