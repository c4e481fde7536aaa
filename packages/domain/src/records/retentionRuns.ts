import { type Erasure, eraseMessages } from "../chat/eraseMessages";
import type { Message } from "../chat/Message";
import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { type BackgroundPace, backgroundPace, inTurns, type Resting } from "../shared/backgroundPace";
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

/**
 * How many messages one part of a retention run deletes, each part its own short unit of work: few
 * enough that live chat waiting behind one part's statements and commit does not notice.
 */
export const retentionSliceSize = 10;

/** What a retention run of one clinic did; null when the clinic keeps its messages. */
export type RetentionOutcome = (RetentionRun & { readonly finishedAt: Date }) | null;

/** How a retention run goes: its parts' size, and how it leaves the machine to live chat. */
export interface RetentionOptions {
  readonly sliceSize?: number;
  /** How much of the time the run may take ({@link backgroundPace} unless set). */
  readonly pace?: BackgroundPace;
  /** Without it, parts follow one another at once (tests). */
  readonly resting?: Resting;
}

const atOnce: Resting = { elapsedMs: () => 0, rest: async () => {} };

/**
 * REC-3: the daily retention run of one clinic deletes the messages older than its period exactly
 * as a person deleting them would (DEL-2, DEL-3, DEL-4, through {@link eraseMessages}), leaving out
 * patients under a legal hold (REC-4). It deletes in parts of `sliceSize` messages, each in a
 * unit of work of its own that commits at once, resting between parts as its pace says, so live
 * chat never waits long for it. The run's cut-off and counts are kept as it goes: a run cut off
 * by a crash is resumed by the next one with the same cut-off, and what was deleted is not found
 * again. One `retention.run` audit record with the counts ends the run.
 */
export async function runRetention(
  deps: ChatDeps,
  clinicId: string,
  options: RetentionOptions = {},
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
  const part = () =>
    deps.uow.run(clinicId, async (stores) => {
      const [run, clinic] = await Promise.all([stores.records.retentionRun(), loadClinic(stores, clinicId)]);
      if (!run) return false;
      const expired = await stores.records.expiredMessages(run.cutoff, sliceSize);
      const erasures = await deletable(stores, expired);
      const erased = await eraseMessages(deps, stores, clinic, erasures, deletedBy);
      await stores.records.saveRetentionRun({
        ...run,
        deletedMessages: run.deletedMessages + erased.messages,
        deletedFiles: run.deletedFiles + erased.files,
      });
      // A part that found messages it may not delete stops the run rather than find them again.
      return expired.length === sliceSize && erased.messages > 0;
    });
  await inTurns(options.pace ?? backgroundPace, options.resting ?? atOnce, part);
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

/**
 * The expired messages by conversation, leaving out each conversation whose patient is under a
 * hold (REC-4); every conversation's facts are read together.
 */
async function deletable(stores: Stores, expired: readonly Message[]): Promise<Erasure[]> {
  const byConversation = new Map<string, Message[]>();
  for (const message of expired) {
    const list = byConversation.get(message.conversationId) ?? [];
    list.push(message);
    byConversation.set(message.conversationId, list);
  }
  const conversations = await Promise.all(
    [...byConversation.keys()].map((id) => stores.conversations.get(id)),
  );
  const holds = await Promise.all(
    conversations.map((c) => (c?.patientId ? stores.records.hold(c.patientId) : null)),
  );
  return conversations.flatMap((conversation, i) =>
    conversation && canDeleteUnderHold(holds[i] ?? null).allowed
      ? [{ conversation, messages: byConversation.get(conversation.id) ?? [] }]
      : [],
  );
}
