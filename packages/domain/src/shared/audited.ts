import type { AuditAction, AuditEvent } from "../audit/AuditEvent";
import type { Actor } from "../people/people";
import { isDomainError } from "./DomainError";
import type { ChatDeps } from "./deps";
import type { Stores } from "./UnitOfWork";

/** The ids an audited action touched; filled in by the work as it learns them. */
export type AuditTargets = {
  -readonly [K in "conversationId" | "messageId" | "fileId" | "subject"]?: AuditEvent[K];
};

/** Writes one audit record in a unit of work of its own: for refusals and failures, whose own work rolled back. */
export async function recordAudit(
  deps: Pick<ChatDeps, "uow" | "clock">,
  actor: Actor,
  action: AuditAction,
  targets: AuditTargets,
  outcome: AuditEvent["outcome"],
  reason: string | null,
): Promise<void> {
  await deps.uow.run(actor.clinicId, (stores) =>
    stores.audit.append(auditRecord(deps, actor, action, targets, outcome, reason)),
  );
}

/** The audit record of one use case call (SEC-3), as {@link audited} writes it. */
export function auditRecord(
  deps: Pick<ChatDeps, "clock">,
  actor: Actor,
  action: AuditAction,
  targets: AuditTargets,
  outcome: AuditEvent["outcome"],
  reason: string | null,
): AuditEvent {
  return {
    clinicId: actor.clinicId,
    actor: actor.person,
    action,
    ...targets,
    reason,
    at: deps.clock.now(),
    ip: actor.ip ?? null,
    outcome,
  };
}

/**
 * Runs a use case's work in one unit of work and writes its audit record (SEC-3) in the same
 * transaction, so the two commit together. A refusal (a DomainError) rolls the work back and is
 * then recorded as `denied` with its reason code, in a unit of work of its own; any other failure
 * is recorded as `failure` on a best-effort basis (the store may be what failed) and rethrown.
 */
export async function audited<T>(
  deps: Pick<ChatDeps, "uow" | "clock">,
  actor: Actor,
  action: AuditAction,
  work: (stores: Stores, targets: AuditTargets) => Promise<T>,
): Promise<T> {
  const targets: AuditTargets = {};
  try {
    return await deps.uow.run(actor.clinicId, async (stores) => {
      const result = await work(stores, targets);
      await stores.audit.append(auditRecord(deps, actor, action, targets, "success", null));
      return result;
    });
  } catch (error) {
    if (isDomainError(error)) {
      await recordAudit(deps, actor, action, targets, "denied", error.code);
    } else {
      await recordAudit(deps, actor, action, targets, "failure", null).catch(() => undefined);
    }
    throw error;
  }
}
