import type { Conversation } from "../chat/Conversation";
import { loadConversationFor } from "../chat/loadConversation";
import type { Message } from "../chat/Message";
import type { Person } from "../people/Person";
import type { Actor, Patient, PersonRef } from "../people/people";
import { audited } from "../shared/audited";
import { allow, assertAllowed, type Decision, deny } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";

/** A shared file as the chart records it: a reference with its type and size, never its name. */
export interface ExportedFile {
  readonly fileId: string;
  readonly contentType: string;
  readonly sizeBytes: number;
}

/**
 * A conversation for the patient's chart (INTEG-5): every message oldest first, a deleted one as
 * the content-free record DEL-3 leaves, and the files its messages carry.
 */
export interface ConversationRecord {
  readonly conversation: Conversation;
  readonly patientId: string;
  /** The patient's id in the host system, when it is known (ADMIN-3). */
  readonly patientHostId: string | null;
  readonly participants: readonly PersonRef[];
  readonly messages: readonly Message[];
  readonly files: ReadonlyMap<string, ExportedFile>;
  readonly exportedAt: Date;
}

/** How many messages one read of the history takes while the record is put together. */
const pageSize = 500;

/** Every message of a conversation, oldest first, read a page at a time (INTEG-5, REC-5). */
export async function wholeHistory(stores: Stores, conversationId: string): Promise<Message[]> {
  const messages: Message[] = [];
  let beforeSeq: number | null = null;
  for (;;) {
    const page = await stores.messages.history(conversationId, { limit: pageSize, beforeSeq });
    messages.push(...page);
    const oldest = page[page.length - 1];
    if (!oldest || oldest.seq <= 1 || page.length < pageSize) break;
    beforeSeq = oldest.seq;
  }
  return messages.sort((a, b) => a.seq - b.seq);
}

/**
 * INTEG-5: the chart is the clinic's record of a patient, so a staff member who takes part in a
 * patient conversation may export it; a patient may not (their portal shows them the conversation),
 * and Team Chat belongs to no chart.
 */
export function canExportConversation(person: Person, conversation: Conversation): Decision {
  if (person.kind !== "staff") return deny("FORBIDDEN");
  if (conversation.kind !== "patient") return deny("NOT_FOUND");
  return allow;
}

/**
 * A staff participant exports a patient conversation for the chart (INTEG-5), audited (SEC-3)
 * like reading its history; non-participants and other clinics get NOT_FOUND (ELIG-5).
 */
export function exportConversation(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<ConversationRecord> {
  return audited(deps, actor, "conversation.export", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    assertAllowed(canExportConversation(access.person, access.conversation));
    const patient = access.patient;
    if (!patient) throw new DomainError("NOT_FOUND");
    return recordOfConversation(
      deps,
      stores,
      access.conversation,
      patient,
      access.participants.map((p) => p.ref),
    );
  });
}

/**
 * The chart's record of one patient conversation, read in the caller's unit of work: every message
 * oldest first and the files they carry. Whoever asks has been allowed already.
 */
export async function recordOfConversation(
  deps: Pick<ChatDeps, "clock">,
  stores: Stores,
  conversation: Conversation,
  patient: Patient,
  participants: readonly PersonRef[],
): Promise<ConversationRecord> {
  const messages = await wholeHistory(stores, conversation.id);
  const files = new Map<string, ExportedFile>();
  for (const message of messages) {
    if (message.body.kind !== "file") continue;
    const file = await stores.files.get(message.body.fileId);
    if (file?.state === "ready") {
      files.set(file.id, { fileId: file.id, contentType: file.contentType, sizeBytes: file.sizeBytes });
    }
  }
  return {
    conversation,
    patientId: patient.id,
    patientHostId: patient.hostId ?? null,
    participants,
    messages,
    files,
    exportedAt: deps.clock.now(),
  };
}
