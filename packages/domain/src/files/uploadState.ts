import type { Actor } from "../people/people";
import type { DomainErrorCode } from "../shared/DomainError";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";

/** Where a sender's confirmed upload stands (FILE-6): ids and a reason only, nothing to audit. */
export type UploadState =
  | { readonly state: "checking" }
  | { readonly state: "shared"; readonly messageId: string }
  | { readonly state: "refused"; readonly reason: DomainErrorCode };

/**
 * The state of the actor's own upload, for a sender waiting on its malware scan: still checking,
 * shared (as which message), or refused (why). Someone else's upload reads as missing (ELIG-5).
 */
export function uploadState(deps: ChatDeps, actor: Actor, input: { fileId: string }): Promise<UploadState> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const file = await stores.files.get(input.fileId);
    if (file && file.uploader.kind === actor.person.kind && file.uploader.id === actor.person.id) {
      if (file.state !== "ready") return { state: "checking" } as const;
      const message = await stores.messages.findByClientId(file.conversationId, actor.person, file.clientId);
      if (message) return { state: "shared", messageId: message.id } as const;
    }
    const refusal = await stores.files.refusalOf(input.fileId, actor.person);
    if (refusal) return { state: "refused", reason: refusal.reason } as const;
    throw new DomainError("NOT_FOUND");
  });
}
