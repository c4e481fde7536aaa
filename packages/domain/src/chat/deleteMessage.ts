import { storedObjectKeys } from "../files/previews";
import { notifyRecipients } from "../notifications/notifyRecipients";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { eventsOfDeletion, tellHost } from "../webhooks/tellHost";
import { canDeleteMessage } from "./deletion";
import { loadConversationFor } from "./loadConversation";

/**
 * Deletes a message or file for good (DEL-1, DEL-2): the text, the file's record with its name
 * and the stored object are gone; what stays is the content-free record of who deleted it and
 * when (DEL-3), shown as "message deleted". Removes it live from every client and from pending
 * notifications (DEL-4). The object is removed before the transaction commits, so a failure to
 * remove it leaves the message in place to be deleted again, never a message pointing nowhere
 * that looks deleted while its bytes remain.
 */
export function deleteMessage(
  deps: ChatDeps,
  actor: Actor,
  input: { messageId: string },
): Promise<{ conversationId: string }> {
  return audited(deps, actor, "message.delete", async (stores, targets) => {
    targets.messageId = input.messageId;
    const message = await stores.messages.get(input.messageId);
    if (!message) throw new DomainError("NOT_FOUND");
    targets.conversationId = message.conversationId;
    const access = await loadConversationFor(stores, actor, message.conversationId);
    assertAllowed(canDeleteMessage(message, access.person));
    const now = deps.clock.now();
    await stores.messages.erase(message.id, { kind: "deleted", deletedAt: now, deletedBy: actor.person });
    if (message.body.kind === "file") {
      targets.fileId = message.body.fileId;
      const file = await stores.files.get(message.body.fileId);
      // A broadcast's copies share one object and its renditions: they go with the last copy (DEL-2),
      // the original and each rendition it may have (FILE-7).
      const lastReference = await stores.files.remove(message.body.fileId);
      if (file && lastReference)
        for (const key of storedObjectKeys(file.storageKey, file.contentType)) await deps.blobs.remove(key);
    }
    await stores.events.append([
      {
        clinicId: actor.clinicId,
        conversationId: message.conversationId,
        type: "message.deleted",
        messageId: message.id,
        person: actor.person,
        seq: message.seq,
        at: now,
      },
    ]);
    const participants = await stores.conversations.participants(message.conversationId);
    await notifyRecipients(
      deps,
      stores,
      access.clinic,
      participants.map((p) => p.person),
      { type: "message.deleted", messageId: message.id },
    );
    await tellHost(stores, access.clinic, eventsOfDeletion(access.conversation, message, participants, now));
    return { conversationId: message.conversationId };
  });
}
