import type { AuditAction, AuditEvent } from "../audit/AuditEvent";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { HostCaller } from "./ports";

/** How often a credential's "last used" time is written: often enough for the admin, rarely enough for a bulk load. */
export const lastUsedPrecisionMs = 60_000;

/**
 * The host system's calls per credential and minute, counted across every API process: a bulk
 * load fits, a runaway loop is stopped (INTEG-1).
 */
export const hostCallLimits = { perMinute: 600 } as const;

/** Whether a call of the host system goes ahead now, or how long the credential waits (INTEG-1). */
export type HostCallAdmission =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly retryAfterSeconds: number };

/**
 * INTEG-1: counts a call of the credential in the current minute and admits it while the minute's
 * calls are within the limit; past it the credential waits for the next minute. The count is the
 * clinic's own row, so every API process counts against the same limit.
 */
export async function admitHostCall(
  deps: Pick<ChatDeps, "uow" | "clock">,
  caller: HostCaller,
  limits: { readonly perMinute: number } = hostCallLimits,
): Promise<HostCallAdmission> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % 60_000);
  const calls = await deps.uow.run(caller.clinicId, (stores) =>
    stores.integration.countCall(caller.credentialId, new Date(windowStart)),
  );
  if (calls <= limits.perMinute) return { admitted: true };
  return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000)) };
}

/** The audit fields of a host call whose outcome a work may decide. */
export interface HostAuditTargets {
  subject?: AuditEvent["subject"];
  /** The conversation the call read (an export for the chart, INTEG-5). */
  conversationId?: string;
  /** A refusal answered rather than thrown: the work wrote nothing, the call is recorded as denied. */
  denied?: string;
}

function hostRecord(
  deps: Pick<ChatDeps, "clock">,
  caller: HostCaller,
  action: AuditAction,
  targets: HostAuditTargets,
  outcome: AuditEvent["outcome"],
  reason: string | null,
): AuditEvent {
  return {
    clinicId: caller.clinicId,
    actor: null,
    credentialId: caller.credentialId,
    action,
    subject: targets.subject ?? null,
    conversationId: targets.conversationId ?? null,
    reason,
    at: deps.clock.now(),
    ip: caller.ip ?? null,
    outcome,
  };
}

/**
 * Runs a call of the host system (INTEG-1) in one unit of work bound to the credential's clinic
 * (SEC-4): refused unless the credential is of that clinic and not revoked, and audited (SEC-3)
 * with the credential as actor, ids only. A refusal the work throws rolls it back and is recorded
 * as `denied` in a unit of work of its own.
 */
export async function hostAudited<T>(
  deps: Pick<ChatDeps, "uow" | "clock">,
  caller: HostCaller,
  action: AuditAction,
  work: (stores: Stores, targets: HostAuditTargets) => Promise<T>,
): Promise<T> {
  const targets: HostAuditTargets = {};
  try {
    return await deps.uow.run(caller.clinicId, async (stores) => {
      await assertCredentialActive(deps, stores, caller.credentialId);
      const value = await work(stores, targets);
      const denied = targets.denied ?? null;
      await stores.audit.append(
        hostRecord(deps, caller, action, targets, denied ? "denied" : "success", denied),
      );
      return value;
    });
  } catch (error) {
    const outcome = isDomainError(error) ? "denied" : "failure";
    const reason = isDomainError(error) ? error.code : null;
    const record = deps.uow.run(caller.clinicId, async (stores) => {
      // A credential of no clinic has nowhere to be recorded: the clinic's trail is for its own.
      if (await stores.integration.credential(caller.credentialId))
        await stores.audit.append(hostRecord(deps, caller, action, targets, outcome, reason));
    });
    await (outcome === "failure" ? record.catch(() => undefined) : record);
    throw error;
  }
}

/** FORBIDDEN unless the credential is the clinic's and not revoked; notes its use now and then. */
async function assertCredentialActive(
  deps: Pick<ChatDeps, "clock">,
  stores: Stores,
  credentialId: string,
): Promise<void> {
  const credential = await stores.integration.credential(credentialId);
  if (!credential || credential.revokedAt)
    throw new DomainError("FORBIDDEN", "FORBIDDEN", { credential: "refused" });
  const now = deps.clock.now();
  if (!credential.lastUsedAt || now.getTime() - credential.lastUsedAt.getTime() >= lastUsedPrecisionMs)
    await stores.integration.markCredentialUsed(credentialId, now);
}
