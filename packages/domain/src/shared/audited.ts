import type { AuditAction, AuditEvent } from "../audit/AuditEvent";
import type { Actor } from "../people/people";
import { isDomainError } from "./DomainError";
import type { ChatDeps } from "./deps";
import type { Stores } from "./UnitOfWork";

/** The ids an audited action touched; filled in by the work as it learns them. */
export type AuditTargets = {
  -readonly [K in "conversationId" | "messageId" | "fileId" | "subject"]?: AuditEvent[K];
};

/**
 * Runs a use case's work in one unit of work and writes its audit record (SEC-3) in the same
 * transaction, so the two commit together. A refusal (a DomainError) rolls the work back and is
 * then recorded as `denied` with its reason code, in a unit of work of its own.
 */
export async function audited<T>(
  deps: Pick<ChatDeps, "uow" | "clock">,
  actor: Actor,
  action: AuditAction,
  work: (stores: Stores, targets: AuditTargets) => Promise<T>,
): Promise<T> {
  const targets: AuditTargets = {};
  const record = (outcome: AuditEvent["outcome"], reason: string | null): AuditEvent => ({
    clinicId: actor.clinicId,
    actor: actor.person,
    action,
    ...targets,
    reason,
    at: deps.clock.now(),
    ip: actor.ip ?? null,
    outcome,
  });
  try {
    return await deps.uow.run(actor.clinicId, async (stores) => {
      const result = await work(stores, targets);
      await stores.audit.append(record("success", null));
      return result;
    });
  } catch (error) {
    if (isDomainError(error)) {
      await deps.uow.run(actor.clinicId, (stores) => stores.audit.append(record("denied", error.code)));
    }
    throw error;
  }
}
