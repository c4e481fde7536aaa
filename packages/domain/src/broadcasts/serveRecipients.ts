import { openPatientConversations } from "../chat/openPatientConversations";
import { type PostRequest, postMessages } from "../chat/postMessages";
import { loadClinic } from "../clinic/loadClinic";
import { findPerson } from "../people/loadPerson";
import { auditRecord } from "../shared/audited";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { Broadcast, BroadcastFile, BroadcastRecipient } from "./Broadcast";
import { broadcastRecipientDecision, canBroadcast } from "./rules";

/** One copy about to go: whose it is and the post that sends it. */
interface Copy {
  readonly recipient: BroadcastRecipient;
  readonly request: PostRequest;
}

type Settle = (r: BroadcastRecipient, change: Partial<BroadcastRecipient>) => null;

/**
 * Serves some recipients of a broadcast in the caller's unit of work (BCAST-1): each is checked
 * again for eligibility (ELIG-1, ENT-1); the conversations of those who receive it are opened
 * together, made where missing (START-1), with the author taking part; then every copy goes
 * through the one posting pipeline together (MSG-1, NOTIF-1..4), with one audit record per copy
 * (SEC-3), and what became of each recipient is recorded. So a slice costs the same few store
 * calls however many recipients it serves, and the clinic's other work waits on it briefly.
 */
export async function serveRecipients(
  deps: ChatDeps,
  stores: Stores,
  broadcast: Broadcast,
  waiting: readonly BroadcastRecipient[],
): Promise<void> {
  const authorRef = { kind: "staff" as const, id: broadcast.authorId };
  const results = new Map<string, BroadcastRecipient>();
  const settle: Settle = (r, change) => {
    results.set(r.patientId, { ...r, attempts: r.attempts + 1, ...change });
    return null;
  };
  // Every read of the slice is independent of the others: asked together.
  const [author, clinic, audience, file] = await Promise.all([
    findPerson(stores, authorRef),
    loadClinic(stores, broadcast.clinicId),
    stores.broadcasts.audience({ kind: "selection", patientIds: waiting.map((r) => r.patientId) }),
    broadcast.content.kind === "file" ? stores.broadcasts.file(broadcast.content.fileId) : null,
  ]);
  const allowed = author ? canBroadcast(author, broadcast.clinicId) : null;
  if (!author || !allowed?.allowed) {
    // The author may no longer broadcast (deactivated, or no longer an admin): nobody more receives it.
    const reason = allowed && !allowed.allowed ? allowed.reason : "NOT_FOUND";
    for (const r of waiting) settle(r, { status: "skipped", reason });
    await stores.broadcasts.record([...results.values()]);
    return;
  }
  const patients = new Map(audience.map((p) => [p.id, p]));
  const receiving: BroadcastRecipient[] = [];
  for (const r of waiting) {
    const patient = patients.get(r.patientId);
    const decision = patient
      ? broadcastRecipientDecision(clinic, author, patient, broadcast.content.kind)
      : ({ allowed: false, reason: "NOT_FOUND" } as const);
    if (decision.allowed) receiving.push(r);
    else settle(r, { status: "skipped", reason: decision.reason });
  }
  const conversations = await openPatientConversations(deps, stores, {
    clinicId: broadcast.clinicId,
    patientIds: receiving.map((r) => r.patientId),
    staff: [authorRef],
    by: authorRef,
    // The author hears the replies, yet a broadcast alone does not fill their list (BCAST-1).
    quietly: true,
  });
  const actor = { clinicId: broadcast.clinicId, person: authorRef };
  const clientId = clientIdOf(broadcast);
  const addressed = receiving.map((r) => {
    const conversationId = conversations.get(r.patientId)!.conversation.id;
    return { recipient: { ...r, conversationId }, request: { actor, conversationId, clientId } };
  });
  const content = broadcast.content;
  const prepared =
    content.kind === "text"
      ? addressed.map((a): Copy => ({ ...a, request: { ...a.request, content } }))
      : await Promise.all(addressed.map((a) => fileCopy(deps, stores, file, a, settle)));
  const copies = prepared.filter((c): c is Copy => c !== null);
  const outcomes = await postMessages(
    deps,
    stores,
    copies.map((c) => c.request),
  );
  const records = [];
  for (const [i, outcome] of outcomes.entries()) {
    const { recipient, request } = copies[i]!;
    if (outcome.ok) settle(recipient, { status: "sent", messageId: outcome.value.message.id });
    else {
      settle(recipient, { status: "skipped", reason: outcome.error.code });
      // A refused copy leaves no record behind; the broadcast still holds the object.
      if (request.content.kind === "file") await stores.files.remove(request.content.fileId);
    }
    records.push(
      auditRecord(
        deps,
        actor,
        "broadcast.message",
        {
          broadcastId: broadcast.id,
          conversationId: recipient.conversationId,
          subject: { kind: "patient", id: recipient.patientId },
          ...(outcome.ok ? { messageId: outcome.value.message.id } : {}),
        },
        outcome.ok ? "success" : "denied",
        outcome.ok ? null : outcome.error.code,
      ),
    );
  }
  await stores.audit.appendAll(records);
  await stores.broadcasts.record([...results.values()]);
}

/** The client id of every copy of a broadcast: one per conversation, so a copy never goes twice (MSG-1). */
export function clientIdOf(broadcast: Pick<Broadcast, "id">): string {
  return `broadcast-${broadcast.id}`;
}

/**
 * A file broadcast's copy for one recipient: its own file record sharing the one stored object
 * (DEL-2 per copy), made once: a turn tried again finds the copy its first attempt posted.
 */
async function fileCopy(
  deps: ChatDeps,
  stores: Stores,
  file: BroadcastFile | null,
  { recipient, request }: { recipient: BroadcastRecipient; request: Omit<PostRequest, "content"> },
  settle: Settle,
): Promise<Copy | null> {
  const author = request.actor.person;
  const sentBefore = await stores.messages.findByClientId(request.conversationId, author, request.clientId);
  if (sentBefore) return settle(recipient, { status: "sent", messageId: sentBefore.id });
  if (!file) return settle(recipient, { status: "skipped", reason: "NOT_FOUND" });
  const fileId = deps.ids.newId();
  await stores.files.create({
    id: fileId,
    clinicId: request.actor.clinicId,
    conversationId: request.conversationId,
    uploader: author,
    clientId: request.clientId,
    name: file.name,
    sizeBytes: file.sizeBytes,
    contentType: file.contentType,
    storageKey: file.storageKey,
    state: "ready",
    createdAt: deps.clock.now(),
  });
  const checked = { sizeBytes: file.sizeBytes, contentType: file.contentType };
  return { recipient, request: { ...request, content: { kind: "file", fileId, checked } } };
}
