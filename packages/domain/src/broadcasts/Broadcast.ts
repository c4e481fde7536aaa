import type { DomainErrorCode } from "../shared/DomainError";

/**
 * Who a broadcast goes to (BCAST-1): patients picked one by one, a practitioner's patients (those
 * with an appointment with them), the patients with an appointment starting in [from, to), or every
 * patient whose portal account is active.
 */
export type BroadcastAudience =
  | { readonly kind: "selection"; readonly patientIds: readonly string[] }
  | { readonly kind: "practitioner"; readonly practitionerId: string }
  | { readonly kind: "appointments"; readonly from: Date; readonly to: Date }
  | { readonly kind: "activePortal" };

/**
 * An audience as an admin picks it: the same, except that appointments are picked by days of the
 * clinic's calendar (`YYYY-MM-DD`, first and last day included), not by instants.
 */
export type AudienceChoice =
  | Exclude<BroadcastAudience, { readonly kind: "appointments" }>
  | { readonly kind: "appointments"; readonly from: string; readonly to: string };

/** What a broadcast says: one text, or one file uploaded once and shared by reference. */
export type BroadcastContent =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file"; readonly fileId: string };

/**
 * A broadcast's course: `scheduled` until its time, `sending` while its recipients are served,
 * then `done`; `cancelled` by an admin at any point before `done` (what went stays).
 */
export type BroadcastState = "scheduled" | "sending" | "done" | "cancelled";

/** One broadcast of a clinic. Its text is PHI-grade content: never logged, never in an audit record. */
export interface Broadcast {
  readonly id: string;
  readonly clinicId: string;
  /** The admin who sent it; each copy is this admin's message in the patient's conversation. */
  readonly authorId: string;
  /** The client id that makes creating it again return it (MSG-1). */
  readonly clientId: string;
  readonly content: BroadcastContent;
  readonly audience: BroadcastAudience;
  readonly state: BroadcastState;
  /** When it starts going out (now, or later when scheduled). */
  readonly sendAt: Date;
  readonly createdAt: Date;
}

/**
 * What became of one recipient: `waiting` for their turn, `sent`, `skipped` with the reason (found
 * before sending or when their turn came), `failed` after every attempt failed, or `cancelled`
 * because the broadcast was cancelled before their turn.
 */
export type RecipientStatus = "waiting" | "sent" | "skipped" | "failed" | "cancelled";

/** One recipient of a broadcast and what became of them. */
export interface BroadcastRecipient {
  readonly broadcastId: string;
  readonly patientId: string;
  readonly status: RecipientStatus;
  /** Why they were skipped; null otherwise. */
  readonly reason: DomainErrorCode | null;
  /** Attempts made to send to them; more than one means it was retried. */
  readonly attempts: number;
  readonly conversationId: string | null;
  readonly messageId: string | null;
}

/** How many recipients are in each status: the live progress of a broadcast. */
export type BroadcastProgress = Readonly<Record<RecipientStatus, number>>;

/** A file uploaded for a broadcast: each copy becomes its own file record sharing this object. */
export interface BroadcastFile {
  readonly id: string;
  readonly clinicId: string;
  readonly uploaderId: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly contentType: string;
  readonly storageKey: string;
  readonly state: "pending" | "ready";
  readonly createdAt: Date;
}

/** The pacing of a broadcast: how many recipients each turn serves, and the pause between turns. */
export const broadcastPacing = {
  /** Recipients served per turn, each turn one unit of work. */
  sliceSize: 25,
  /** A turn that fails is tried again this many times in all before its recipients count as failed. */
  maxAttempts: 3,
} as const;
