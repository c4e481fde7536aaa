import type { Patient } from "../people/people";
import type {
  Broadcast,
  BroadcastAudience,
  BroadcastFile,
  BroadcastProgress,
  BroadcastRecipient,
  BroadcastState,
  RecipientStatus,
} from "./Broadcast";

/** One page of a broadcast's report. */
export interface RecipientPage {
  readonly items: readonly BroadcastRecipient[];
  readonly nextCursor: string | null;
}

/** Broadcasts of the current clinic, their recipients and their files (BCAST-1). */
export interface BroadcastStore {
  /** Adds a broadcast with every recipient, each in the status it starts in. */
  create(broadcast: Broadcast, recipients: readonly BroadcastRecipient[]): Promise<void>;
  get(broadcastId: string): Promise<Broadcast | null>;
  /** The broadcast its author created with this client id, or null (MSG-1). */
  byClientId(authorId: string, clientId: string): Promise<Broadcast | null>;
  /**
   * The broadcast, held for the rest of the unit of work: a turn sending it and a cancellation
   * take turns, so nothing goes after a cancellation is answered.
   */
  reserve(broadcastId: string): Promise<Broadcast | null>;
  setState(broadcastId: string, state: BroadcastState): Promise<void>;
  /** The clinic's latest broadcasts, newest first. */
  latest(limit: number): Promise<Broadcast[]>;
  /** How many recipients are in each status. */
  progress(broadcastId: string): Promise<BroadcastProgress>;
  /** The next recipients waiting, in a stable order. */
  waiting(broadcastId: string, limit: number): Promise<BroadcastRecipient[]>;
  /** Stores what became of these recipients (matched by patient id). */
  record(recipients: readonly BroadcastRecipient[]): Promise<void>;
  /** Moves every recipient still waiting to `cancelled`. */
  cancelWaiting(broadcastId: string): Promise<void>;
  /** A page of the report, optionally of one status; the cursor is opaque. */
  recipients(
    broadcastId: string,
    page: { status?: RecipientStatus; limit: number; cursor?: string | null },
  ): Promise<RecipientPage>;
  /**
   * The clinic's patients an audience names, each once: a store may narrow them by SQL (active
   * portal accounts, say), the domain still decides who of them receives.
   */
  audience(audience: BroadcastAudience): Promise<Patient[]>;
  file(fileId: string): Promise<BroadcastFile | null>;
  createFile(file: BroadcastFile): Promise<void>;
  markFileReady(fileId: string, checked: { sizeBytes: number; contentType: string }): Promise<void>;
  /** Files uploaded before `before` and still never confirmed (FILE-2), oldest first. */
  stalePendingFiles(before: Date, limit: number): Promise<BroadcastFile[]>;
  /** Removes a file that is still pending, never confirmed; false when there is none such. */
  removePendingFile(fileId: string): Promise<boolean>;
  /**
   * Drops the broadcast's own reference to its file; true when no copy in any conversation
   * shares the stored object any more, so the object may go (DEL-2).
   */
  releaseFile(fileId: string): Promise<boolean>;
}

/** One turn of a broadcast: serve its next recipients. Ids only. */
export interface BroadcastTurn {
  readonly clinicId: string;
  readonly broadcastId: string;
}

/**
 * Where broadcast turns wait for their time, bound to the unit of work: a turn is scheduled with
 * the broadcast (or the turn before it) or not at all. Any worker process may take it.
 */
export interface BroadcastTurnQueue {
  schedule(turn: BroadcastTurn, at: Date): Promise<void>;
}
