import type { MessageView, PersonRef } from "@clinic-chat/domain";

/**
 * What a signed-in client receives on its live stream (MSG-2), each with the event log's id for
 * `lastEventId`. A new message comes with its view, loaded through the domain's read path as the
 * subscriber (authorized and audited like reading the history), so it renders without another
 * round trip. The other events are small facts the client applies to what it shows (a deletion
 * shows "message deleted" in place, DEL-3) or a cue to refetch: a conversation list change, or
 * `clinic.entitlements_changed` for the composer's rules (ENT-4).
 */
export type LiveEvent =
  /** Caught up: everything before this id has been sent. The first event of every stream. */
  | { readonly type: "ready" }
  | { readonly type: "message.posted"; readonly conversationId: string; readonly message: MessageView }
  | {
      readonly type: "message.deleted";
      readonly conversationId: string;
      readonly messageId: string;
      readonly deletedBy: PersonRef | null;
      readonly at: Date;
    }
  | {
      readonly type: "conversation.read";
      readonly conversationId: string;
      /** Who read. */
      readonly person: PersonRef | null;
      readonly readUpToSeq: number;
      /** When the reader is the subscriber (another tab or device): their unread total now (MSG-3). */
      readonly totalUnread: number | null;
    }
  | {
      readonly type: "conversation.created";
      readonly conversationId: string;
      readonly by: PersonRef | null;
      readonly at: Date;
    }
  | {
      readonly type: "participant.added";
      readonly conversationId: string;
      readonly person: PersonRef | null;
      readonly at: Date;
    }
  /** A participant named or renamed the conversation: its title is refetched. */
  | {
      readonly type: "conversation.renamed";
      readonly conversationId: string;
      readonly by: PersonRef | null;
      readonly at: Date;
    }
  | { readonly type: "clinic.entitlements_changed"; readonly at: Date }
  /** INBOX-2, INBOX-3: a patient conversation's place in the inbox or its timeline changed; staff refetch. */
  | {
      readonly type: "inbox.changed";
      readonly conversationId: string;
      readonly by: PersonRef | null;
      readonly at: Date;
    }
  /**
   * Someone else in the conversation is typing (PRODUCT §8): passing, never stored, never replayed,
   * and without an event id of its own (a client resumes from the id before it).
   */
  | { readonly type: "conversation.typing"; readonly conversationId: string; readonly person: PersonRef }
  /**
   * FILE-7: an image shared in the conversation has its renditions (or will have none): the page
   * asks for the previews it is still waiting on, once. Ids only.
   */
  | { readonly type: "file.preview_ready"; readonly conversationId: string; readonly at: Date }
  /** HOURS-3: the automatic reply joined the conversation's timeline. */
  | { readonly type: "conversation.auto_replied"; readonly conversationId: string; readonly at: Date };
