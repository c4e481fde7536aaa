import {
  checkFileDeclaration,
  checkUploadedFile,
  displayFileName,
  inspectionLimits,
} from "../files/fileRules";
import { checkFileName } from "../files/fileTypes";
import type { PresignedUrl } from "../files/ports";
import { fileRules } from "../files/StoredFile";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed, refuse } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { BroadcastFile } from "./Broadcast";
import { loadBroadcaster } from "./loadBroadcaster";

/**
 * BCAST-1 with FILE-1, FILE-4, FILE-5: starts the one upload of a broadcast's file. The name's
 * ending and the declared size and type are checked; the object gets a random key free of PHI and
 * the browser uploads straight to storage. Every recipient's copy later shares this object.
 */
export function requestBroadcastFileUpload(
  deps: ChatDeps,
  actor: Actor,
  input: { fileName: string; sizeBytes: number; contentType: string },
): Promise<{ fileId: string; upload: PresignedUrl }> {
  return audited(deps, actor, "file.upload_request", async (stores, targets) => {
    await loadBroadcaster(stores, actor);
    const name = displayFileName(input.fileName);
    if (!name) throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "fileName" });
    const contentType = input.contentType.toLowerCase();
    assertAllowed(checkFileName(name));
    assertAllowed(checkFileDeclaration({ sizeBytes: input.sizeBytes, contentType }));
    const file: BroadcastFile = {
      id: deps.ids.newId(),
      clinicId: actor.clinicId,
      uploaderId: actor.person.id,
      name,
      sizeBytes: input.sizeBytes,
      contentType,
      storageKey: `${actor.clinicId}/${deps.ids.newId()}`,
      state: "pending",
      createdAt: deps.clock.now(),
    };
    await stores.broadcasts.createFile(file);
    targets.fileId = file.id;
    const upload = await deps.blobs.presignUpload(file.storageKey, {
      sizeBytes: file.sizeBytes,
      contentType,
      expiresInSeconds: fileRules.uploadUrlSeconds,
    });
    return { fileId: file.id, upload };
  });
}

/**
 * BCAST-1 with FILE-1, FILE-5, FILE-6: confirms a broadcast file's upload. The bytes decide its
 * type; a file that fails the checks, or that the malware scanner finds infected, is deleted from
 * storage and refused with the reason. While the scanner cannot be reached the file is not ready
 * and the admin is asked to confirm again. Nothing is sent before it is ready.
 */
export async function confirmBroadcastFile(
  deps: ChatDeps,
  actor: Actor,
  input: { fileId: string },
): Promise<{ fileId: string; name: string; sizeBytes: number; contentType: string }> {
  const file = await deps.uow.run(actor.clinicId, async (stores) => {
    await loadBroadcaster(stores, actor);
    const found = await stores.broadcasts.file(input.fileId);
    if (!found || found.uploaderId !== actor.person.id) throw new DomainError("NOT_FOUND");
    // Half the cleanup's age, as for a conversation's upload: a confirmation never races the
    // cleanup that removes the object.
    const age = deps.clock.now().getTime() - found.createdAt.getTime();
    if (found.state === "pending" && age > (fileRules.unconfirmedUploadTtlSeconds * 1000) / 2)
      throw new DomainError("FILE_UPLOAD_EXPIRED");
    return found;
  });
  const answer = {
    fileId: file.id,
    name: file.name,
    sizeBytes: file.sizeBytes,
    contentType: file.contentType,
  };
  if (file.state === "ready") return answer;
  const inspection = await deps.blobs.inspect(file.storageKey, inspectionLimits);
  const verdict = checkUploadedFile(file.name, inspection);
  if (!verdict.allowed && verdict.reason !== "FILE_NOT_UPLOADED") await deps.blobs.remove(file.storageKey);
  if (!verdict.allowed) refuse(verdict);
  if (deps.scanner) {
    const content = await deps.blobs.read(file.storageKey);
    if (!content) throw new DomainError("FILE_NOT_UPLOADED");
    const scan = await deps.scanner.scan(content);
    if (scan.infected) {
      await deps.blobs.remove(file.storageKey);
      throw new DomainError("FILE_INFECTED");
    }
  }
  const checked = {
    sizeBytes: inspection?.sizeBytes ?? file.sizeBytes,
    contentType: inspection?.detectedType?.toLowerCase() ?? file.contentType,
  };
  return audited(deps, actor, "file.upload_confirm", async (stores, targets) => {
    targets.fileId = file.id;
    await stores.broadcasts.markFileReady(file.id, checked);
    return { ...answer, ...checked };
  });
}
