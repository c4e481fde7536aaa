import type { Conversation } from "../chat/Conversation";
import { type Erased, eraseMessages } from "../chat/eraseMessages";
import type { Message } from "../chat/Message";
import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { canDeleteUnderHold } from "./LegalHold";
import { checkRetentionPeriod, type RetentionPeriod, type RetentionRun, retentionCutoff } from "./Retention";

/** Clinic Settings › Records as an admin sees it (REC-3). */
export interface RetentionView {
  /** Null: messages are kept. */
  readonly period: RetentionPeriod | null;
  readonly setBy: { readonly id: string; readonly name: string } | null;
  readonly setAt: Date | null;
}

/** REC-3: the clinic's retention setting, for admins. */
export function retentionSetting(deps: ChatDeps, actor: Actor): Promise<RetentionView> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const policy = await stores.records.retention();
    if (!policy) return { period: null, setBy: null, setAt: null };
    const admin = await stores.directory.staffMember(policy.setBy);
    return {
      period: policy.period,
      setBy: { id: policy.setBy, name: admin?.name ?? "" },
      setAt: policy.setAt,
    };
  });
}

/** REC-3: an admin sets the retention period, or none; audited as a settings change (SEC-3). */
export function changeRetention(
  deps: ChatDeps,
  actor: Actor,
  input: { period: RetentionPeriod | null },
): Promise<RetentionView> {
  return audited(deps, actor, "settings.change", async (stores) => {
    const admin = await loadActing(stores, actor, { as: "admin" });
    if (!input.period) {
      await stores.records.saveRetention(null);
      return { period: null, setBy: null, setAt: null };
    }
    assertAllowed(checkRetentionPeriod(input.period));
    const setAt = deps.clock.now();
    await stores.records.saveRetention({ period: input.period, setBy: admin.id, setAt });
    return { period: input.period, setBy: { id: admin.id, name: admin.name }, setAt };
  });
}

/** How many messages one part of a retention run deletes, each part its own short unit of work. */
export const retentionSliceSize = 200;

/** What a retention run of one clinic did; null when the clinic keeps its messages. */
export type RetentionOutcome = (RetentionRun & { readonly finishedAt: Date }) | null;

/**
 * REC-3: the daily retention run of one clinic deletes the messages older than its period exactly
 * as a person deleting them would (DEL-2, DEL-3, DEL-4, through {@link eraseMessages}), leaving out
 * patients under a legal hold (REC-4). It deletes in parts of `sliceSize` messages, each in a
 * unit of work of its own that commits at once, so posting into a conversation never waits for
 * the whole run. The run's cut-off and counts are kept as it goes: a run cut off by a crash is
 * resumed by the next one with the same cut-off, and what was deleted is not found again. One
 * `retention.run` audit record with the counts ends the run.
 */
export async function runRetention(
  deps: ChatDeps,
  clinicId: string,
  options: { readonly sliceSize?: number } = {},
): Promise<RetentionOutcome> {
  const sliceSize = options.sliceSize ?? retentionSliceSize;
  const started = await deps.uow.run(clinicId, async (stores) => {
    const policy = await stores.records.retention();
    const run = await stores.records.retentionRun();
    if (!policy) {
      if (run) await stores.records.saveRetentionRun(null);
      return null;
    }
    if (run) return { policy, run };
    const now = deps.clock.now();
    const fresh: RetentionRun = {
      startedAt: now,
      cutoff: retentionCutoff(policy.period, now),
      deletedMessages: 0,
      deletedFiles: 0,
    };
    await stores.records.saveRetentionRun(fresh);
    return { policy, run: fresh };
  });
  if (!started) return null;
  const deletedBy = { kind: "staff", id: started.policy.setBy } as const;
  for (;;) {
    const more = await deps.uow.run(clinicId, async (stores) => {
      const run = await stores.records.retentionRun();
      if (!run) return false;
      const expired = await stores.records.expiredMessages(run.cutoff, sliceSize);
      const erased = await eraseExpired(deps, stores, clinicId, expired, deletedBy);
      await stores.records.saveRetentionRun({
        ...run,
        deletedMessages: run.deletedMessages + erased.messages,
        deletedFiles: run.deletedFiles + erased.files,
      });
      // A part that found messages it may not delete stops the run rather than find them again.
      return expired.length === sliceSize && erased.messages > 0;
    });
    if (!more) break;
  }
  return deps.uow.run(clinicId, async (stores) => {
    const run = await stores.records.retentionRun();
    if (!run) return null;
    const finishedAt = deps.clock.now();
    await stores.audit.append({
      clinicId,
      actor: null,
      action: "retention.run",
      reason: `messages=${run.deletedMessages} files=${run.deletedFiles}`,
      at: finishedAt,
      ip: null,
      outcome: "success",
    });
    await stores.records.saveRetentionRun(null);
    return { ...run, finishedAt };
  });
}

/** Deletes expired messages conversation by conversation, each only if no hold stands (REC-4). */
async function eraseExpired(
  deps: ChatDeps,
  stores: Stores,
  clinicId: string,
  expired: readonly Message[],
  deletedBy: { readonly kind: "staff"; readonly id: string },
): Promise<Erased> {
  const byConversation = new Map<string, Message[]>();
  for (const message of expired) {
    const list = byConversation.get(message.conversationId) ?? [];
    list.push(message);
    byConversation.set(message.conversationId, list);
  }
  const clinic = await loadClinic(stores, clinicId);
  let messages = 0;
  let files = 0;
  for (const [conversationId, list] of byConversation) {
    const conversation: Conversation | null = await stores.conversations.get(conversationId);
    if (!conversation) continue;
    const hold = conversation.patientId ? await stores.records.hold(conversation.patientId) : null;
    if (!canDeleteUnderHold(hold).allowed) continue;
    const erased = await eraseMessages(deps, stores, clinic, conversation, list, deletedBy);
    messages += erased.messages;
    files += erased.files;
  }
  return { messages, files };
}
