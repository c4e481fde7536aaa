import type { AuditAction } from "../audit/AuditEvent";
import { postMessages } from "../chat/postMessages";
import { type MessageView, messageView } from "../chat/views";
import { type Actor, samePerson } from "../people/people";
import { type AuditTargets, auditedEach } from "../shared/audited";
import { DomainError, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { previewKindOf } from "./previews";
import type { StoredFile } from "./StoredFile";

/** The actor's own upload; someone else's reads as missing, like a foreign id (ELIG-5). */
export async function loadOwnFile(stores: Stores, actor: Actor, fileId: string): Promise<StoredFile> {
  const file = await stores.files.get(fileId);
  if (!file || !samePerson(file.uploader, actor.person)) throw new DomainError("NOT_FOUND");
  return file;
}

/** A refusal that has already been written to the audit trail. */
export class RecordedRefusal extends DomainError {}

/**
 * Shares a file whose bytes passed every check (FILE-2): it becomes a file message of its
 * uploader, posted through the one posting pipeline, audited as `action`. A refusal (the
 * conversation turned read-only, say) is audited and thrown as a {@link RecordedRefusal}.
 */
export async function shareCheckedFile(
  deps: ChatDeps,
  actor: Actor,
  fileId: string,
  checked: { readonly sizeBytes: number; readonly contentType: string },
  action: AuditAction,
  targets: AuditTargets,
): Promise<MessageView> {
  const shareTargets: AuditTargets = { ...targets };
  const [outcome] = await auditedEach(deps, [{ actor, action, targets: shareTargets }], async (stores) => {
    const current = await loadOwnFile(stores, actor, fileId);
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
    shareTargets.messageId = message.id;
    // FILE-7: an image gets its renditions once it is shared, in a job of its own.
    if (created && previewKindOf(checked.contentType) === "image")
      await stores.filePreviews.schedule({ clinicId: actor.clinicId, fileId: current.id });
    const view = created
      ? messageView(message, { ...current, ...checked, state: "ready" })
      : messageView(message, current);
    return [{ ok: true, value: view }];
  }).catch((error: unknown) => {
    // auditedEach has recorded this refusal already.
    if (isDomainError(error)) throw new RecordedRefusal(error.code, error.message, error.details);
    throw error;
  });
  if (!outcome!.ok)
    throw new RecordedRefusal(outcome!.error.code, outcome!.error.message, outcome!.error.details);
  return outcome!.value;
}

/**
 * Refuses an uploaded file for good (FILE-1, FILE-5, FILE-6): the stored object first, then the
 * record, name and all (DEL-2); audited as rejected with the reason. With `keepReason`, the reason
 * is kept without the name, for a sender who is not waiting on the answer.
 */
export async function refuseUploadedFile(
  deps: ChatDeps,
  actor: Actor,
  file: StoredFile,
  reason: DomainError["code"],
  targets: AuditTargets,
  options: { readonly keepReason?: boolean } = {},
): Promise<void> {
  await deps.blobs.remove(file.storageKey);
  await deps.uow.run(actor.clinicId, async (stores) => {
    await stores.files.remove(file.id);
    if (options.keepReason) {
      await stores.files.recordRefusal({
        fileId: file.id,
        conversationId: file.conversationId,
        uploader: file.uploader,
        reason,
        refusedAt: deps.clock.now(),
      });
    }
    await stores.audit.append({
      clinicId: actor.clinicId,
      actor: actor.person,
      action: "file.upload_rejected",
      ...targets,
      reason,
      at: deps.clock.now(),
      ip: actor.ip ?? null,
      outcome: "denied",
    });
  });
}
