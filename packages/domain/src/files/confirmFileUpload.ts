import { loadConversationFor } from "../chat/loadConversation";
import { postMessages } from "../chat/postMessages";
import { type MessageView, messageView } from "../chat/views";
import { type Actor, samePerson } from "../people/people";
import { type AuditTargets, auditedEach, recordAudit } from "../shared/audited";
import { assertAllowed, refuse } from "../shared/Decision";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { checkUploadedFile, inspectionLimits } from "./fileRules";
import { fileRules, type StoredFile } from "./StoredFile";

async function loadOwnFile(stores: Stores, actor: Actor, fileId: string): Promise<StoredFile> {
  const file = await stores.files.get(fileId);
  // Someone else's upload reads as missing, like a foreign id (ELIG-5).
  if (!file || !samePerson(file.uploader, actor.person)) throw new DomainError("NOT_FOUND");
  return file;
}

/** A refusal that has already been written to the audit trail. */
class RecordedRefusal extends DomainError {}

/**
 * Confirms an upload (FILE-1, FILE-2, FILE-5): the stored bytes are checked (size, and type found
 * in the content, which must match the name's ending); a file that fails is deleted from storage and from the records and
 * the sender told why; one that passes becomes a file message the other side sees. Confirming
 * again returns the same message (MSG-1). The bytes are checked between two units of work, so no
 * transaction stays open while storage answers; every refusal is audited (SEC-3).
 */
export async function confirmFileUpload(
  deps: ChatDeps,
  actor: Actor,
  input: { fileId: string },
): Promise<MessageView> {
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

async function confirm(
  deps: ChatDeps,
  actor: Actor,
  fileId: string,
  targets: AuditTargets,
): Promise<MessageView> {
  const pending = await deps.uow.run(actor.clinicId, async (stores) => {
    const file = await loadOwnFile(stores, actor, fileId);
    targets.conversationId = file.conversationId;
    const access = await loadConversationFor(stores, actor, file.conversationId);
    if (file.state === "ready") {
      const message = await stores.messages.findByClientId(file.conversationId, actor.person, file.clientId);
      if (message) return { done: messageView(message, file), file };
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
    await deps.blobs.remove(file.storageKey);
    await deps.uow.run(actor.clinicId, async (stores) => {
      await stores.files.remove(file.id);
      await stores.audit.append({
        clinicId: actor.clinicId,
        actor: actor.person,
        action: "file.upload_rejected",
        ...targets,
        reason: verdict.reason,
        at: deps.clock.now(),
        ip: actor.ip ?? null,
        outcome: "denied",
      });
    });
    throw new RecordedRefusal(verdict.reason, verdict.reason, verdict.details);
  }

  const checked = {
    sizeBytes: inspection?.sizeBytes ?? file.sizeBytes,
    contentType: inspection?.detectedType?.toLowerCase() ?? file.contentType,
  };
  const confirmTargets: AuditTargets = { ...targets };
  const [outcome] = await auditedEach(
    deps,
    [{ actor, action: "file.upload_confirm", targets: confirmTargets }],
    async (stores) => {
      const current = await loadOwnFile(stores, actor, file.id);
      const [posted] = await postMessages(deps, stores, [
        {
          actor,
          conversationId: current.conversationId,
          clientId: current.clientId,
          content: { kind: "file", fileId: current.id, checked },
        },
      ]);
      if (!posted!.ok) return [posted!];
      const { message, created } = posted!.value;
      confirmTargets.messageId = message.id;
      const view = created
        ? messageView(message, { ...current, ...checked, state: "ready" })
        : messageView(message, current);
      return [{ ok: true, value: view }];
    },
  ).catch((error: unknown) => {
    // auditedEach has recorded this refusal already.
    if (isDomainError(error)) throw new RecordedRefusal(error.code, error.message, error.details);
    throw error;
  });
  if (!outcome!.ok)
    throw new RecordedRefusal(outcome!.error.code, outcome!.error.message, outcome!.error.details);
  return outcome!.value;
}
