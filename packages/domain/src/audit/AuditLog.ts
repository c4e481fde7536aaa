import type { Conversation } from "../chat/Conversation";
import type { Patient, PersonRef, StaffMember } from "../people/people";
import type { AuditAction, AuditEvent, StoredAuditEvent } from "./AuditEvent";

/** Filters for paging through the audit trail. */
export interface AuditQuery {
  readonly limit: number;
  /** Continue after this cursor (from the previous page). */
  readonly cursor?: string | null;
  readonly action?: AuditAction | null;
  readonly conversationId?: string | null;
  readonly actorKey?: string | null;
  /**
   * Records about this patient (REC-6): the patient acting, acted on, or any record of one of the
   * patient's conversations (a file downloaded from it, a message sent in it).
   */
  readonly patientId?: string | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
}

/** A conversation as the audit trail names it: its kind, name and who is in it. */
export interface AuditConversation {
  readonly conversation: Conversation;
  readonly participants: readonly PersonRef[];
}

/** A file as the audit trail names it. */
export interface AuditFile {
  readonly id: string;
  readonly conversationId: string;
  readonly name: string;
}

/** The append-only audit trail of the current clinic (SEC-3). */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Appends several records at once, in the order given. */
  appendAll(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<{ items: StoredAuditEvent[]; nextCursor: string | null }>;
  /** The conversations and files of a page of records, at once per kind (unknown ids are left out). */
  recordsNamed(ids: {
    readonly conversationIds: readonly string[];
    readonly fileIds: readonly string[];
  }): Promise<{ conversations: AuditConversation[]; files: AuditFile[] }>;
  /** The people of a page of records, at once per kind (unknown ids are left out). */
  peopleNamed(ids: {
    readonly staffIds: readonly string[];
    readonly patientIds: readonly string[];
  }): Promise<{ staff: StaffMember[]; patients: Patient[] }>;
}
