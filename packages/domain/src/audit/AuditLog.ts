import type { AuditAction, AuditEvent, StoredAuditEvent } from "./AuditEvent";

/** Filters for paging through the audit trail. */
export interface AuditQuery {
  readonly limit: number;
  /** Continue after this cursor (from the previous page). */
  readonly cursor?: string | null;
  readonly action?: AuditAction | null;
  readonly conversationId?: string | null;
  readonly actorKey?: string | null;
  readonly from?: Date | null;
  readonly to?: Date | null;
}

/** The append-only audit trail of the current clinic (SEC-3). */
export interface AuditLog {
  append(event: AuditEvent): Promise<void>;
  /** Appends several records at once, in the order given. */
  appendAll(events: readonly AuditEvent[]): Promise<void>;
  /** Newest first. */
  list(query: AuditQuery): Promise<{ items: StoredAuditEvent[]; nextCursor: string | null }>;
}
