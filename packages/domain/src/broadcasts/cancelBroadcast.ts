import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { type BroadcastView, broadcastView } from "./broadcastViews";
import { finishBroadcast } from "./finishBroadcast";
import { loadBroadcaster } from "./loadBroadcaster";

/**
 * BCAST-1: cancels a broadcast. What went stays; every recipient still waiting is cancelled and
 * nothing more goes once this answers (a turn under way finishes first: the two take turns on the
 * broadcast). Cancelling a broadcast that is over changes nothing and answers it as it is.
 */
export async function cancelBroadcast(
  deps: ChatDeps,
  actor: Actor,
  input: { broadcastId: string },
): Promise<BroadcastView> {
  let released: string | null = null;
  const view = await audited(deps, actor, "broadcast.cancel", async (stores, targets) => {
    targets.broadcastId = input.broadcastId;
    await loadBroadcaster(stores, actor);
    const broadcast = await stores.broadcasts.reserve(input.broadcastId);
    if (!broadcast) throw new DomainError("NOT_FOUND");
    let state = broadcast.state;
    if (state === "scheduled" || state === "sending") {
      released = await finishBroadcast(stores, broadcast, "cancelled");
      state = "cancelled";
    }
    return broadcastView({ ...broadcast, state }, await stores.broadcasts.progress(broadcast.id), stores);
  });
  if (released) await deps.blobs.remove(released);
  return view;
}
