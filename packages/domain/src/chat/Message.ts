import type { PersonRef } from "../people/people";

/** Message text limits after trimming (MSG-1). */
export const messageTextLimits = { min: 1, max: 4000 } as const;

/**
 * What a message holds: text, one file, or nothing any more. A deleted message keeps only the
 * content-free facts of its deletion (DEL-2, DEL-3).
 */
export type MessageBody =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly fileId: string }
  | { readonly kind: "deleted"; readonly deletedAt: Date; readonly deletedBy: PersonRef };

/** One message of a conversation. */
export interface Message {
  readonly id: string;
  readonly clinicId: string;
  readonly conversationId: string;
  /** Position in the conversation, from 1, without gaps: orders history and read markers. */
  readonly seq: number;
  /** The sender's own id for this send; a retry with the same one returns this message (MSG-1). */
  readonly clientId: string;
  readonly sender: PersonRef;
  readonly sentAt: Date;
  readonly body: MessageBody;
}
