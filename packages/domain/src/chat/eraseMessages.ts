import type { Clinic } from "../clinic/Clinic";
import { storedObjectKeys } from "../files/previews";
import { notifyRecipients } from "../notifications/notifyRecipients";
import { type PersonRef, personKey } from "../people/people";
import { canDeleteUnderHold } from "../records/LegalHold";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { eventsOfDeletion, tellHost } from "../webhooks/tellHost";
import type { WebhookEventDraft } from "../webhooks/WebhookEvent";
import type { Conversation } from "./Conversation";
import type { NewConversationEvent } from "./ConversationEvent";
import type { Message } from "./Message";

/** Messages of one conversation to erase. */
export interface Erasure {
  readonly conversation: Conversation;
  readonly messages: readonly Message[];
}

/** What {@link eraseMessages} deleted. */
export interface Erased {
  readonly messages: number;
  /** Files whose record went with their message (DEL-2). */
  readonly files: number;
}

/**
 * The one way messages are deleted, by a person (DEL-1) or by the clinic's retention period
 * (REC-3): refused while a conversation's patient is under a legal hold (REC-4); otherwise each
 * text, file record and stored object (with its renditions) is gone for good (DEL-2), the
 * content-free record of who deleted it and when stays (DEL-3), and every open client and pending
 * notification hears of it (DEL-4), and search finds it no more (SRCH-1). Objects are removed before the unit of work commits, so a
 * failure to remove one leaves its message in place to be deleted again, never a message that
 * looks deleted while its bytes remain. The caller has decided who may.
 *
 * However many messages and conversations, each kind of record changes in one store call: the
 * facts are read together first, then the writes follow, the events last, so the unit of work
 * holds its event ids (which the live feed waits for) only for the end of its commit.
 */
export async function eraseMessages(
  deps: Pick<ChatDeps, "blobs" | "clock" | "ids" | "links">,
  stores: Stores,
  clinic: Clinic,
  erasures: readonly Erasure[],
  deletedBy: PersonRef,
): Promise<Erased> {
  const messages = erasures.flatMap((e) => e.messages);
  if (messages.length === 0) return { messages: 0, files: 0 };
  const messageIds = messages.map((m) => m.id);
  const [holds, participants, holders] = await Promise.all([
    Promise.all(
      erasures.map((e) => (e.conversation.patientId ? stores.records.hold(e.conversation.patientId) : null)),
    ),
    Promise.all(erasures.map((e) => stores.conversations.participants(e.conversation.id))),
    stores.notifications.burstsHolding(messageIds),
  ]);
  for (const hold of holds) assertAllowed(canDeleteUnderHold(hold));
  const now = deps.clock.now();

  const fileIds = messages.flatMap((m) => (m.body.kind === "file" ? [m.body.fileId] : []));
  // A broadcast's copies share one object and its renditions: they go with the last copy (DEL-2),
  // the original and each rendition it may have (FILE-7).
  const removed = fileIds.length > 0 ? await stores.files.removeAll(fileIds) : [];
  const released = removed.filter((f) => f.lastReference);
  const keys = new Set(released.flatMap((f) => storedObjectKeys(f.storageKey, f.contentType)));
  for (const key of keys) await deps.blobs.remove(key);

  await stores.messages.erase(messageIds, { kind: "deleted", deletedAt: now, deletedBy });
  // SRCH-1: a deleted message is found no more.
  await stores.search.forget(messageIds);
  // Only the people whose pending notification holds a deleted message have anything to hear; one
  // person after the other in the order every unit of work reserves them, so none can deadlock.
  const byPerson = [...holders].sort((a, b) => (personKey(a.person) < personKey(b.person) ? -1 : 1));
  for (const { person, messageId } of byPerson)
    await notifyRecipients(deps, stores, clinic, [person], { type: "message.deleted", messageId });
  const toHost: WebhookEventDraft[] = [];
  const events: NewConversationEvent[] = [];
  for (const [i, { conversation, messages: erased }] of erasures.entries()) {
    for (const message of erased) {
      toHost.push(...eventsOfDeletion(conversation, message, participants[i] ?? [], now));
      events.push({
        clinicId: clinic.id,
        conversationId: conversation.id,
        type: "message.deleted",
        messageId: message.id,
        person: deletedBy,
        seq: message.seq,
        at: now,
      });
    }
  }
  await tellHost(stores, clinic, toHost);
  await stores.events.append(events);
  return { messages: messages.length, files: removed.length };
}
