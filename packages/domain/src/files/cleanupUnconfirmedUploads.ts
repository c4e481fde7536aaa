import type { ChatDeps } from "../shared/deps";
import { fileRules } from "./StoredFile";

/**
 * FILE-2: removes uploads of one clinic that were never confirmed within the allowed time, a
 * conversation's or a broadcast's (BCAST-1), their
 * stored objects first, and forgets the reasons of files refused as long ago (FILE-6: their
 * senders were told while they waited). Run periodically by the worker; returns how many uploads
 * it removed.
 */
export async function cleanupUnconfirmedUploads(
  deps: Pick<ChatDeps, "uow" | "blobs" | "clock">,
  clinicId: string,
  atMost = 500,
): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - fileRules.unconfirmedUploadTtlSeconds * 1000);
  const { stale, broadcastFiles } = await deps.uow.run(clinicId, async (stores) => {
    await stores.files.forgetRefusals(before);
    return {
      stale: await stores.files.stalePending(before, atMost),
      // A broadcast's upload never confirmed is left behind the same way (BCAST-1).
      broadcastFiles: await stores.broadcasts.stalePendingFiles(before, atMost),
    };
  });
  for (const file of [...stale, ...broadcastFiles]) await deps.blobs.remove(file.storageKey);
  if (stale.length > 0 || broadcastFiles.length > 0) {
    await deps.uow.run(clinicId, async (stores) => {
      for (const file of stale) {
        // Confirmation is refused long before this age (see confirmFileUpload), so a stale pending file cannot turn ready now.
        const current = await stores.files.get(file.id);
        if (current?.state === "pending") await stores.files.remove(file.id);
      }
      for (const file of broadcastFiles) await stores.broadcasts.removePendingFile(file.id);
    });
  }
  return stale.length + broadcastFiles.length;
}
