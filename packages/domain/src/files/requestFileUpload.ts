import { loadConversationFor } from "../chat/loadConversation";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { checkFileDeclaration, displayFileName } from "./fileRules";
import { checkFileName } from "./fileTypes";
import type { PresignedUrl } from "./ports";
import { fileRules, type StoredFile } from "./StoredFile";

/**
 * Starts sharing a file (FILE-1): checks the name's ending (FILE-5) and the declared size and type, records a pending file under
 * a random storage key that carries no PHI (FILE-4), and returns a short-lived URL the browser
 * uploads to directly. Nothing is visible to the other side until the upload is confirmed (FILE-2).
 */
export function requestFileUpload(
  deps: ChatDeps,
  actor: Actor,
  input: {
    conversationId: string;
    clientId: string;
    fileName: string;
    sizeBytes: number;
    contentType: string;
  },
): Promise<{ fileId: string; upload: PresignedUrl }> {
  return audited(deps, actor, "file.upload_request", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    assertAllowed(access.composer.file);
    // A client id already used for a message of this sender cannot become a file message (MSG-1).
    if (await stores.messages.findByClientId(access.conversation.id, actor.person, input.clientId)) {
      throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
    }
    const name = displayFileName(input.fileName);
    if (!name) throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "fileName" });
    const contentType = input.contentType.toLowerCase();
    assertAllowed(checkFileName(name));
    assertAllowed(checkFileDeclaration({ sizeBytes: input.sizeBytes, contentType }));
    const file: StoredFile = {
      id: deps.ids.newId(),
      clinicId: actor.clinicId,
      conversationId: access.conversation.id,
      uploader: actor.person,
      clientId: input.clientId,
      name,
      sizeBytes: input.sizeBytes,
      contentType,
      storageKey: `${actor.clinicId}/${deps.ids.newId()}`,
      state: "pending",
      createdAt: deps.clock.now(),
    };
    await stores.files.create(file);
    targets.fileId = file.id;
    const upload = await deps.blobs.presignUpload(file.storageKey, {
      sizeBytes: file.sizeBytes,
      contentType: file.contentType,
      expiresInSeconds: fileRules.uploadUrlSeconds,
    });
    return { fileId: file.id, upload };
  });
}
