import type { AuditAction, AuditEvent } from "../audit/AuditEvent";
import type { Actor } from "../people/people";
import { type DomainError, isDomainError } from "./DomainError";
import type { ChatDeps } from "./deps";
import type { Stores } from "./UnitOfWork";

/** The ids an audited action touched; filled in by the work as it learns them. */
export type AuditTargets = {
  -readonly [K in "conversationId" | "messageId" | "fileId" | "subject" | "broadcastId"]?: AuditEvent[K];
} & {
  /** What a successful action records beside the ids (counts only, never PHI); a refusal records its code. */
  outcomeNote?: string;
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
  const { outcomeNote, ...ids } = targets;
  return {
    clinicId: actor.clinicId,
    actor: actor.person,
    action,
    ...ids,
    reason: outcome === "success" ? (reason ?? outcomeNote ?? null) : reason,
    at: deps.clock.now(),
    ip: actor.ip ?? null,
    outcome,
  };
}

/** One action of {@link auditedEach}: who acts, what they do, and the ids it touches (filled in by the work). */
export interface AuditedAction {
  readonly actor: Actor;
  readonly action: AuditAction;
  readonly targets: AuditTargets;
}

/** What became of one action of {@link auditedEach}: its value, or the refusal that refused it alone. */
export type ActionOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DomainError };

/** Options of {@link auditedEach}. */
export interface AuditedOptions {
  /**
   * The caller runs each action again on its own when the unit of work fails as a whole (each
   * then writes its own record): nothing is recorded for them here.
   */
  readonly retriedAlone?: boolean;
}

/**
 * Runs the work of several actions of one clinic in one unit of work and writes each action's
 * audit record (SEC-3) in the same transaction, so they commit together. The work answers each
 * action's outcome, in the order of `actions`: a refusal it answers refuses that action only (the
 * work wrote nothing for it) and is recorded as `denied` with its reason code beside the others'
 * `success`. A refusal it throws (a DomainError) refuses every action: the work rolls back and
 * each is recorded as `denied` in a unit of work of its own. Any other failure rolls back too and
 * is recorded as `failure` on a best-effort basis (the store may be what failed), then rethrown.
 */
export async function auditedEach<T>(
  deps: Pick<ChatDeps, "uow" | "clock">,
  actions: readonly AuditedAction[],
  work: (stores: Stores) => Promise<readonly ActionOutcome<T>[]>,
  options: AuditedOptions = {},
): Promise<ActionOutcome<T>[]> {
  const clinicId = actions[0]?.actor.clinicId;
  if (clinicId === undefined) return [];
  if (actions.some((a) => a.actor.clinicId !== clinicId)) {
    throw new Error("auditedEach takes the actions of one clinic");
  }
  const recordEach = async (outcome: AuditEvent["outcome"], reason: string | null) => {
    await deps.uow.run(clinicId, (stores) =>
      stores.audit.appendAll(
        actions.map((a) => auditRecord(deps, a.actor, a.action, a.targets, outcome, reason)),
      ),
    );
  };
  try {
    return await deps.uow.run(clinicId, async (stores) => {
      const outcomes = [...(await work(stores))];
      if (outcomes.length !== actions.length) throw new Error("an outcome for each action");
      await stores.audit.appendAll(
        actions.map((a, i) => {
          const outcome = outcomes[i]!;
          return outcome.ok
            ? auditRecord(deps, a.actor, a.action, a.targets, "success", null)
            : auditRecord(deps, a.actor, a.action, a.targets, "denied", outcome.error.code);
        }),
      );
      return outcomes;
    });
  } catch (error) {
    if (options.retriedAlone) throw error;
    if (isDomainError(error)) {
      await recordEach("denied", error.code);
    } else {
      await recordEach("failure", null).catch(() => undefined);
    }
    throw error;
  }
}

/**
 * {@link auditedEach} for one action: runs a use case's work in one unit of work with its audit
 * record; a refusal the work throws rolls it back and is recorded as `denied`, any other failure
 * as `failure`, and is rethrown.
 */
export async function audited<T>(
  deps: Pick<ChatDeps, "uow" | "clock">,
  actor: Actor,
  action: AuditAction,
  work: (stores: Stores, targets: AuditTargets) => Promise<T>,
): Promise<T> {
  const targets: AuditTargets = {};
  const [outcome] = await auditedEach(deps, [{ actor, action, targets }], async (stores) => [
    { ok: true, value: await work(stores, targets) },
  ]);
  return settled(outcome!);
}

/** The value of an outcome, or its refusal thrown. */
export function settled<T>(outcome: ActionOutcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
