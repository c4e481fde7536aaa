import type { Conversation } from "../chat/Conversation";
import type { Message } from "../chat/Message";
import type { LegalHold } from "./LegalHold";
import type { RetentionPolicy, RetentionRun } from "./Retention";

/** The clinic's records rules: legal holds (REC-4) and the retention period with its run (REC-3). */
export interface RecordsStore {
  /** The hold on a patient of the clinic, or null. */
  hold(patientId: string): Promise<LegalHold | null>;
  /** Every hold of the clinic, newest first. */
  holds(): Promise<LegalHold[]>;
  /** Places a hold; the patient has none. */
  placeHold(hold: LegalHold): Promise<void>;
  /** Lifts the hold on a patient, if there is one. */
  liftHold(patientId: string): Promise<void>;
  /** The clinic's retention setting; null: messages are kept. */
  retention(): Promise<RetentionPolicy | null>;
  saveRetention(policy: RetentionPolicy | null): Promise<void>;
  /** The retention run under way, or null. */
  retentionRun(): Promise<RetentionRun | null>;
  /** Saves the run's progress; null ends it. */
  saveRetentionRun(run: RetentionRun | null): Promise<void>;
  /**
   * Up to `limit` messages sent before `cutoff` and not deleted yet, oldest first, leaving out the
   * conversations of patients under a hold (the domain still decides each conversation).
   */
  expiredMessages(cutoff: Date, limit: number): Promise<Message[]>;
  /** Every conversation of a patient, written in or not (REC-2 erases them all). */
  patientConversations(patientId: string): Promise<Conversation[]>;
}
