import type { Clinic } from "../clinic/Clinic";
import { storedObjectKeys } from "../files/previews";
import { notifyRecipients } from "../notifications/notifyRecipients";
import type { PersonRef } from "../people/people";
import { canDeleteUnderHold } from "../records/LegalHold";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { eventsOfDeletion, tellHost } from "../webhooks/tellHost";
import type { Conversation } from "./Conversation";
import type { Message } from "./Message";

/** What {@link eraseMessages} deleted. */
export interface Erased {
  readonly messages: number;
  /** Files whose record went with their message (DEL-2). */
  readonly files: number;
}

/**
 * The one way messages of a conversation are deleted, by a person (DEL-1) or by the clinic's
 * retention period (REC-3): refused while the conversation's patient is under a legal hold
 * (REC-4); otherwise each text, file record and stored object (with its renditions) is gone for
 * good (DEL-2), the content-free record of who deleted it and when stays (DEL-3), and every open
 * client and pending notification hears of it (DEL-4); it is found by search no more (SRCH-1). Objects are removed before the unit of
 * work commits, so a failure to remove one leaves its message in place to be deleted again,
 * never a message that looks deleted while its bytes remain. The caller has decided who may.
 */
export async function eraseMessages(
  deps: Pick<ChatDeps, "blobs" | "clock" | "ids" | "links">,
  stores: Stores,
  clinic: Clinic,
  conversation: Conversation,
  messages: readonly Message[],
  deletedBy: PersonRef,
): Promise<Erased> {
  const hold = conversation.patientId ? await stores.records.hold(conversation.patientId) : null;
  assertAllowed(canDeleteUnderHold(hold));
  const now = deps.clock.now();
  let files = 0;
  const participants = await stores.conversations.participants(conversation.id);
  for (const message of messages) {
    await stores.messages.erase(message.id, { kind: "deleted", deletedAt: now, deletedBy });
    // SRCH-1: a deleted message is found no more.
    await stores.search.forget(message.id);
    if (message.body.kind === "file") {
      const file = await stores.files.get(message.body.fileId);
      // A broadcast's copies share one object and its renditions: they go with the last copy (DEL-2),
      // the original and each rendition it may have (FILE-7).
      const lastReference = await stores.files.remove(message.body.fileId);
      if (file) files++;
      if (file && lastReference)
        for (const key of storedObjectKeys(file.storageKey, file.contentType)) await deps.blobs.remove(key);
    }
    await stores.events.append([
      {
        clinicId: clinic.id,
        conversationId: conversation.id,
        type: "message.deleted",
        messageId: message.id,
        person: deletedBy,
        seq: message.seq,
        at: now,
      },
    ]);
    await notifyRecipients(
      deps,
      stores,
      clinic,
      participants.map((p) => p.person),
      { type: "message.deleted", messageId: message.id },
    );
    await tellHost(stores, clinic, eventsOfDeletion(conversation, message, participants, now));
  }
  return { messages: messages.length, files };
}
