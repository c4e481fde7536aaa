import type { Actor } from "../people/people";
import type { AuditTargets } from "../shared/audited";
import { isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { FileScan } from "./ports";
import { refuseUploadedFile, shareCheckedFile } from "./shareCheckedFile";

/**
 * FILE-6: scans one confirmed upload for malware, as the scan job. A clean file is shared as its
 * sender's file message (audited as the send); an infected one is deleted, object and record, the
 * reason kept for its sender, and audited as rejected. While the scanner cannot be reached this
 * throws, the file stays waiting and unseen, and the job is tried again. A file no longer waiting
 * (shared, refused or deleted meanwhile) is left alone.
 */
export async function scanUploadedFile(
  deps: ChatDeps,
  scan: FileScan,
): Promise<"shared" | "refused" | "not_waiting"> {
  const { scanner } = deps;
  if (!scanner) throw new Error("scanUploadedFile needs a malware scanner");
  const file = await deps.uow.run(scan.clinicId, (stores) => stores.files.get(scan.fileId));
  if (file?.state !== "checking") return "not_waiting";
  const actor: Actor = { clinicId: scan.clinicId, person: file.uploader, ip: null };
  const targets: AuditTargets = { fileId: file.id, conversationId: file.conversationId };
  const content = await deps.blobs.read(file.storageKey);
  const verdict = content ? await scanner.scan(content) : null;
  if (verdict === null || verdict.infected) {
    const reason = verdict === null ? "FILE_NOT_UPLOADED" : "FILE_INFECTED";
    await refuseUploadedFile(deps, actor, file, reason, targets, { keepReason: true });
    return "refused";
  }
  try {
    const checked = { sizeBytes: file.sizeBytes, contentType: file.contentType };
    await shareCheckedFile(deps, actor, file.id, checked, "message.send", targets);
    return "shared";
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // The conversation can no longer take the file (read-only now, say): the sender is told why.
    await refuseUploadedFile(deps, actor, file, error.code, targets, { keepReason: true });
    return "refused";
  }
}
