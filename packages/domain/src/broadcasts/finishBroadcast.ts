import type { Stores } from "../shared/UnitOfWork";
import type { Broadcast } from "./Broadcast";

/**
 * Ends a broadcast (`done`, or `cancelled` with every recipient still waiting cancelled) and
 * drops its own reference to its file. Answers the storage key of an object no copy shares any
 * more, for the caller to remove once the unit of work has committed (DEL-2), or null.
 */
export async function finishBroadcast(
  stores: Stores,
  broadcast: Broadcast,
  state: "done" | "cancelled",
): Promise<string | null> {
  if (state === "cancelled") await stores.broadcasts.cancelWaiting(broadcast.id);
  await stores.broadcasts.setState(broadcast.id, state);
  if (broadcast.content.kind !== "file") return null;
  const file = await stores.broadcasts.file(broadcast.content.fileId);
  if (!file) return null;
  return (await stores.broadcasts.releaseFile(file.id)) ? file.storageKey : null;
}
