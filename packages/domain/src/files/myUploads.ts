import { loadConversationFor } from "../chat/loadConversation";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadOwnFile } from "./shareCheckedFile";

/** One of the sender's own uploads still waiting for its malware scan, as their page lists it. */
export interface UploadInProgress {
  readonly fileId: string;
  readonly clientId: string;
  readonly name: string;
  readonly sizeBytes: number;
}

/**
 * FILE-8 with FILE-6: the actor's own uploads in a conversation still being checked, so a page
 * loaded again shows them waiting. Nobody else's are listed (FILE-2).
 */
export function uploadsInProgress(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<UploadInProgress[]> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadConversationFor(stores, actor, input.conversationId);
    const files = await stores.files.checkingOf(input.conversationId, actor.person);
    return files.map((file) => ({
      fileId: file.id,
      clientId: file.clientId,
      name: file.name,
      sizeBytes: file.sizeBytes,
    }));
  });
}

/**
 * FILE-8: the sender withdraws an upload not yet shared (uploaded or still checking): its object
 * and its record go for good (DEL-2), audited. A file already shared is deleted as a message
 * instead (DEL-1), so it is refused here.
 */
export function cancelUpload(deps: ChatDeps, actor: Actor, input: { fileId: string }): Promise<void> {
  return audited(deps, actor, "file.upload_cancel", async (stores, targets) => {
    targets.fileId = input.fileId;
    const file = await loadOwnFile(stores, actor, input.fileId);
    targets.conversationId = file.conversationId;
    if (file.state === "ready") throw new DomainError("CONFLICT", "CONFLICT", { field: "fileId" });
    await deps.blobs.remove(file.storageKey);
    await stores.files.remove(file.id);
  });
}
