import { loadConversationFor } from "../chat/loadConversation";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { PresignedUrl } from "./ports";
import { fileRules } from "./StoredFile";

/**
 * A fresh download link for a shared file (FILE-3): issued only after the same authorization as
 * reading the conversation, valid at most 5 minutes, and audited. Pending uploads cannot be
 * downloaded by anyone (FILE-2).
 */
export function downloadFile(deps: ChatDeps, actor: Actor, input: { fileId: string }): Promise<PresignedUrl> {
  return audited(deps, actor, "file.download", async (stores, targets) => {
    targets.fileId = input.fileId;
    const file = await stores.files.get(input.fileId);
    if (file?.state !== "ready") throw new DomainError("NOT_FOUND");
    targets.conversationId = file.conversationId;
    await loadConversationFor(stores, actor, file.conversationId, { at: deps.clock.now() });
    return deps.blobs.presignDownload(file.storageKey, {
      contentType: file.contentType,
      expiresInSeconds: fileRules.downloadUrlSeconds,
    });
  });
}
