import { loadConversationFor } from "../chat/loadConversation";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { PresignedUrl } from "./ports";
import { previewKindOf, previewRules, type RenditionName, renditionKey } from "./previews";
import { fileRules } from "./StoredFile";

/** A shared image's preview: still being made, not available, or links to its renditions. */
export type FilePreviewLinks =
  | { readonly state: "making" }
  | { readonly state: "none" }
  | {
      readonly state: "ready";
      readonly width: number;
      readonly height: number;
      readonly links: Readonly<Record<RenditionName, PresignedUrl>>;
    };

/**
 * FILE-7 served like the file (FILE-3): the renditions of a shared image, through short-lived
 * links issued after the same authorization as reading the conversation, audited as a download.
 */
export function filePreview(
  deps: ChatDeps,
  actor: Actor,
  input: { fileId: string; renditions: readonly RenditionName[] },
): Promise<FilePreviewLinks> {
  return audited(deps, actor, "file.download", async (stores, targets) => {
    targets.fileId = input.fileId;
    const file = await stores.files.get(input.fileId);
    if (file?.state !== "ready") throw new DomainError("NOT_FOUND");
    targets.conversationId = file.conversationId;
    await loadConversationFor(stores, actor, file.conversationId, { at: deps.clock.now() });
    if (previewKindOf(file.contentType) !== "image" || file.preview?.state === "failed")
      return { state: "none" } as const;
    if (!file.preview) return { state: "making" } as const;
    const links: Partial<Record<RenditionName, PresignedUrl>> = {};
    for (const name of new Set(input.renditions)) {
      links[name] = await deps.blobs.presignDownload(renditionKey(file.storageKey, name), {
        contentType: previewRules.renditionType,
        expiresInSeconds: fileRules.downloadUrlSeconds,
      });
    }
    return {
      state: "ready",
      width: file.preview.width,
      height: file.preview.height,
      links: links as Record<RenditionName, PresignedUrl>,
    } as const;
  });
}
