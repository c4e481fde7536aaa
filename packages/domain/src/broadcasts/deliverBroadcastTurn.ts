import { type BackgroundPace, restAfter } from "../shared/backgroundPace";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { broadcastPacing } from "./Broadcast";
import { finishBroadcast } from "./finishBroadcast";
import type { BroadcastTurn } from "./ports";
import { afterFailedAttempt } from "./rules";
import { serveRecipients } from "./serveRecipients";

/**
 * How a broadcast goes out: recipients per turn, attempts per turn, and the pause between turns,
 * in proportion to the turn's own time (its share of the machine) and never below `pauseMs`.
 */
export interface BroadcastPace {
  readonly sliceSize: number;
  readonly pauseMs: number;
  readonly maxAttempts: number;
  /** The share of the time a broadcast's turns may take (see {@link BackgroundPace}). */
  readonly share: number;
}

/** The pace the product runs at: a broadcast takes half the time at most, live chat the rest. */
export const defaultBroadcastPace: BroadcastPace = { ...broadcastPacing, pauseMs: 100, share: 0.5 };

/** The longest pause between two turns, however long a turn took: a broadcast always goes on. */
const longestRestMs = 5_000;

/** What one turn did: served some recipients (more to come), finished the broadcast, or found it stopped. */
export type TurnOutcome = "served" | "finished" | "stopped" | "failed";

/**
 * One turn of a broadcast (BCAST-1): its next few recipients, each checked again for eligibility
 * (ELIG-1, ENT-1) and sent the broadcast as the author's message in their own conversation, made
 * if needed (START-1), through the one posting pipeline (MSG-1, NOTIF-1..4), with one audit
 * record per message (SEC-3), all in one unit of work; then the next turn is scheduled after a
 * pause as long as the pace's share asks for this turn's time, so live chat gets the machine
 * between turns, the longer the busier it is. A copy already posted by a turn tried before is
 * found by its client id and not posted again. A turn that fails is tried again; after the last
 * attempt its recipients are failed and the broadcast goes on. A cancelled broadcast sends nothing.
 */
export async function deliverBroadcastTurn(
  deps: ChatDeps,
  turn: BroadcastTurn,
  pace: BroadcastPace = defaultBroadcastPace,
): Promise<TurnOutcome> {
  const started = deps.clock.now().getTime();
  try {
    const outcome = await deps.uow.run(turn.clinicId, (stores) => serve(deps, stores, turn, pace, started));
    if (outcome.released) await deps.blobs.remove(outcome.released);
    return outcome.outcome;
  } catch (error) {
    return deps.uow.run(turn.clinicId, async (stores) => {
      const broadcast = await stores.broadcasts.reserve(turn.broadcastId);
      if (!broadcast || broadcast.state === "done" || broadcast.state === "cancelled") throw error;
      const waiting = await stores.broadcasts.waiting(broadcast.id, pace.sliceSize);
      await stores.broadcasts.record(
        waiting.map((r) => {
          const attempts = r.attempts + 1;
          const status = afterFailedAttempt(attempts, pace.maxAttempts) === "failed" ? "failed" : "waiting";
          return { ...r, attempts, status };
        }),
      );
      const pause = pace.pauseMs * 2 ** Math.min(6, waiting[0]?.attempts ?? 0);
      await stores.broadcastTurns.schedule(turn, new Date(deps.clock.now().getTime() + pause));
      return "failed" as const;
    });
  }
}

async function serve(
  deps: ChatDeps,
  stores: Stores,
  turn: BroadcastTurn,
  pace: BroadcastPace,
  started: number,
): Promise<{ outcome: TurnOutcome; released: string | null }> {
  const broadcast = await stores.broadcasts.reserve(turn.broadcastId);
  if (!broadcast || broadcast.state === "done" || broadcast.state === "cancelled")
    return { outcome: "stopped", released: null };
  if (broadcast.state === "scheduled") await stores.broadcasts.setState(broadcast.id, "sending");
  const waiting = await stores.broadcasts.waiting(broadcast.id, pace.sliceSize);
  if (waiting.length > 0) {
    await serveRecipients(deps, stores, broadcast, waiting);
    if (waiting.length === pace.sliceSize) {
      const now = deps.clock.now().getTime();
      const rest: BackgroundPace = { share: pace.share, shortestRestMs: pace.pauseMs, longestRestMs };
      const at = new Date(now + restAfter(rest, now - started));
      await stores.broadcastTurns.schedule(turn, at);
      return { outcome: "served", released: null };
    }
  }
  return { outcome: "finished", released: await finishBroadcast(stores, broadcast, "done") };
}
