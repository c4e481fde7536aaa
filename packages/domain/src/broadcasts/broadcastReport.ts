import { type Actor, patientName } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { RecipientStatus } from "./Broadcast";
import { type BroadcastView, broadcastView } from "./broadcastViews";
import { loadBroadcaster } from "./loadBroadcaster";

/** One line of a broadcast's report: the patient, what became of them, and why when skipped. */
export interface RecipientReportLine {
  readonly patientId: string;
  readonly name: string | null;
  readonly dateOfBirth: string | null;
  readonly status: RecipientStatus;
  readonly reason: string | null;
  /** More than one: the first attempts failed and it was retried. */
  readonly attempts: number;
  readonly conversationId: string | null;
}

/** A broadcast with a page of its per-recipient report (BCAST-1). */
export interface BroadcastReport {
  readonly broadcast: BroadcastView;
  readonly recipients: readonly RecipientReportLine[];
  readonly nextCursor: string | null;
}

/** BCAST-1: the clinic's latest broadcasts with their progress, for its admins. */
export function listBroadcasts(deps: ChatDeps, actor: Actor): Promise<BroadcastView[]> {
  return audited(deps, actor, "broadcast.read", async (stores) => {
    await loadBroadcaster(stores, actor);
    const latest = await stores.broadcasts.latest(20);
    const views: BroadcastView[] = [];
    for (const b of latest)
      views.push(await broadcastView(b, await stores.broadcasts.progress(b.id), stores));
    return views;
  });
}

/**
 * BCAST-1: a broadcast's progress and its report per recipient (sent, skipped with the reason,
 * failed, retried, cancelled), a page at a time, optionally of one status.
 */
export function broadcastReport(
  deps: ChatDeps,
  actor: Actor,
  input: { broadcastId: string; status?: RecipientStatus; limit: number; cursor?: string | null },
): Promise<BroadcastReport> {
  return audited(deps, actor, "broadcast.read", async (stores, targets) => {
    targets.broadcastId = input.broadcastId;
    await loadBroadcaster(stores, actor);
    const broadcast = await stores.broadcasts.get(input.broadcastId);
    if (!broadcast) throw new DomainError("NOT_FOUND");
    const page = await stores.broadcasts.recipients(broadcast.id, {
      ...(input.status ? { status: input.status } : {}),
      limit: input.limit,
      cursor: input.cursor ?? null,
    });
    const patients = new Map(
      (
        await stores.broadcasts.audience({
          kind: "selection",
          patientIds: page.items.map((r) => r.patientId),
        })
      ).map((p) => [p.id, p]),
    );
    return {
      broadcast: await broadcastView(broadcast, await stores.broadcasts.progress(broadcast.id), stores),
      recipients: page.items.map((r) => ({
        patientId: r.patientId,
        name: ((p) => (p ? patientName(p) : null))(patients.get(r.patientId)),
        dateOfBirth: patients.get(r.patientId)?.dateOfBirth ?? null,
        status: r.status,
        reason: r.reason,
        attempts: r.attempts,
        conversationId: r.conversationId,
      })),
      nextCursor: page.nextCursor,
    };
  });
}
