import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { StoredAuditEvent } from "./AuditEvent";
import type { AuditQuery } from "./AuditLog";

/** The clinic's audit trail, newest first, with filters: for admins only (SEC-3). Reading it is audited too. */
export function listAuditTrail(
  deps: ChatDeps,
  actor: Actor,
  query: AuditQuery,
): Promise<{ items: StoredAuditEvent[]; nextCursor: string | null }> {
  return audited(deps, actor, "audit.read", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > 200)
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit" });
    return stores.audit.list(query);
  });
}
