import { loadConversationFor } from "../chat/loadConversation";
import { type FileView, type MessageView, messageView } from "../chat/views";
import type { Actor } from "../people/people";
import { type AuditTargets, auditedEach, recordAudit } from "../shared/audited";
import { assertAllowed, refuse } from "../shared/Decision";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { checkUploadedFile, inspectionLimits } from "./fileRules";
import { fileRules, type StoredFile } from "./StoredFile";
import { loadOwnFile, RecordedRefusal, refuseUploadedFile, shareCheckedFile } from "./shareCheckedFile";

/**
 * What became of a confirmed upload: shared as a file message, or waiting for its malware scan,
 * which only its sender sees (FILE-6).
 */
export type ConfirmedUpload =
  | { readonly state: "shared"; readonly message: MessageView }
  | {
      readonly state: "checking";
      readonly conversationId: string;
      readonly clientId: string;
      readonly file: FileView;
    };

/**
 * Confirms an upload (FILE-1, FILE-2, FILE-5, FILE-6): the stored bytes are checked (size, and type
 * found in the content, which must match the name's ending); a file that fails is deleted from
 * storage and from the records and the sender told why. One that passes waits for its malware scan
 * when a scanner is configured, and is otherwise shared at once as a file message the other side
 * sees. Confirming again returns the same answer (MSG-1). The bytes are checked between two units
 * of work, so no transaction stays open while storage answers; every refusal is audited (SEC-3).
 */
export async function confirmFileUpload(
  deps: ChatDeps,
  actor: Actor,
  input: { fileId: string },
): Promise<ConfirmedUpload> {
  const targets: AuditTargets = { fileId: input.fileId };
  try {
    return await confirm(deps, actor, input.fileId, targets);
  } catch (error) {
    if (isDomainError(error) && !(error instanceof RecordedRefusal)) {
      await recordAudit(deps, actor, "file.upload_confirm", targets, "denied", error.code);
    }
    throw error;
  }
}

function checking(
  file: StoredFile,
  checked: { readonly sizeBytes: number; readonly contentType: string } = file,
): ConfirmedUpload {
  return {
    state: "checking",
    conversationId: file.conversationId,
    clientId: file.clientId,
    file: { id: file.id, name: file.name, sizeBytes: checked.sizeBytes, contentType: checked.contentType },
  };
}

async function confirm(
  deps: ChatDeps,
  actor: Actor,
  fileId: string,
  targets: AuditTargets,
): Promise<ConfirmedUpload> {
  const pending = await deps.uow.run(actor.clinicId, async (stores) => {
    const file = await loadOwnFile(stores, actor, fileId);
    targets.conversationId = file.conversationId;
    const access = await loadConversationFor(stores, actor, file.conversationId);
    if (file.state === "ready") {
      const message = await stores.messages.findByClientId(file.conversationId, actor.person, file.clientId);
      if (message) return { done: { state: "shared", message: messageView(message, file) } as const, file };
    }
    if (file.state === "checking") {
      // Scheduling again is harmless, and recovers a scan whose job was lost.
      await stores.fileScans.schedule({ clinicId: actor.clinicId, fileId: file.id });
      return { done: checking(file), file };
    }
    assertAllowed(access.composer.file);
    // Half the cleanup's age: a confirmation can never race the cleanup that removes the object.
    const age = deps.clock.now().getTime() - file.createdAt.getTime();
    if (age > (fileRules.unconfirmedUploadTtlSeconds * 1000) / 2)
      throw new DomainError("FILE_UPLOAD_EXPIRED");
    return { done: null, file };
  });
  if (pending.done) return pending.done;
  const file = pending.file;

  const inspection = await deps.blobs.inspect(file.storageKey, inspectionLimits);
  const verdict = checkUploadedFile(file.name, inspection);
  if (!verdict.allowed) {
    // Nothing uploaded yet: the record stays so the upload can still happen (the cleanup removes it otherwise).
    if (verdict.reason === "FILE_NOT_UPLOADED") refuse(verdict);
    await refuseUploadedFile(deps, actor, file, verdict.reason, targets);
    throw new RecordedRefusal(verdict.reason, verdict.reason, verdict.details);
  }

  const checked = {
    sizeBytes: inspection?.sizeBytes ?? file.sizeBytes,
    contentType: inspection?.detectedType?.toLowerCase() ?? file.contentType,
  };
  if (!deps.scanner) {
    const message = await shareCheckedFile(deps, actor, file.id, checked, "file.upload_confirm", targets);
    return { state: "shared", message };
  }
  // FILE-6: the file waits, seen by its sender only, until the scan shares or refuses it.
  await auditedEach(deps, [{ actor, action: "file.upload_confirm", targets }], async (stores) => {
    const current = await loadOwnFile(stores, actor, file.id);
    if (current.state === "pending") await stores.files.markChecking(current.id, checked);
    await stores.fileScans.schedule({ clinicId: actor.clinicId, fileId: current.id });
    return [{ ok: true, value: null }];
  }).catch((error: unknown) => {
    if (isDomainError(error)) throw new RecordedRefusal(error.code, error.message, error.details);
    throw error;
  });
  return checking(file, checked);
}
