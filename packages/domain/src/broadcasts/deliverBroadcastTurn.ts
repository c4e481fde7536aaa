import { patientConversationKey } from "../chat/Conversation";
import { openOrCreateConversation } from "../chat/openOrCreateConversation";
import { type PostRequest, postMessages } from "../chat/postMessages";
import { loadClinic } from "../clinic/loadClinic";
import { findPerson } from "../people/loadPerson";
import type { Patient } from "../people/people";
import { auditRecord } from "../shared/audited";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { type Broadcast, type BroadcastRecipient, broadcastPacing } from "./Broadcast";
import { finishBroadcast } from "./finishBroadcast";
import type { BroadcastTurn } from "./ports";
import { afterFailedAttempt, broadcastRecipientDecision, canBroadcast } from "./rules";

/** How a broadcast goes out: recipients per turn, the pause between turns, and attempts per turn. */
export interface BroadcastPace {
  readonly sliceSize: number;
  readonly pauseMs: number;
  readonly maxAttempts: number;
}

/** The pace the product runs at. */
export const defaultBroadcastPace: BroadcastPace = { ...broadcastPacing, pauseMs: 100 };

/** What one turn did: served some recipients (more to come), finished the broadcast, or found it stopped. */
export type TurnOutcome = "served" | "finished" | "stopped" | "failed";

/**
 * One turn of a broadcast (BCAST-1): its next few recipients, each checked again for eligibility
 * (ELIG-1, ENT-1) and sent the broadcast as the author's message in their own conversation, made
 * if needed (START-1), through the one posting pipeline (MSG-1, NOTIF-1..4), with one audit
 * record per message (SEC-3), all in one unit of work; then the next turn is scheduled after a
 * pause, so a broadcast never holds up live chat. A copy already posted by a turn tried before is
 * found by its client id and not posted again. A turn that fails is tried again; after the last
 * attempt its recipients are failed and the broadcast goes on. A cancelled broadcast sends nothing.
 */
export async function deliverBroadcastTurn(
  deps: ChatDeps,
  turn: BroadcastTurn,
  pace: BroadcastPace = defaultBroadcastPace,
): Promise<TurnOutcome> {
  try {
    const outcome = await deps.uow.run(turn.clinicId, (stores) => serve(deps, stores, turn, pace));
    if (outcome.released) await deps.blobs.remove(outcome.released);
    return outcome.outcome;
  } catch (error) {
    return deps.uow.run(turn.clinicId, async (stores) => {
      const broadcast = await stores.broadcasts.reserve(turn.broadcastId);
      if (!broadcast || broadcast.state === "done" || broadcast.state === "cancelled") throw error;
      const waiting = await stores.broadcasts.waiting(broadcast.id, pace.sliceSize);
      await stores.broadcasts.record(
        waiting.map((r) => {
          const attempts = r.attempts + 1;
          const status = afterFailedAttempt(attempts, pace.maxAttempts) === "failed" ? "failed" : "waiting";
          return { ...r, attempts, status };
        }),
      );
      const pause = pace.pauseMs * 2 ** Math.min(6, waiting[0]?.attempts ?? 0);
      await stores.broadcastTurns.schedule(turn, new Date(deps.clock.now().getTime() + pause));
      return "failed" as const;
    });
  }
}

async function serve(
  deps: ChatDeps,
  stores: Stores,
  turn: BroadcastTurn,
  pace: BroadcastPace,
): Promise<{ outcome: TurnOutcome; released: string | null }> {
  const broadcast = await stores.broadcasts.reserve(turn.broadcastId);
  if (!broadcast || broadcast.state === "done" || broadcast.state === "cancelled")
    return { outcome: "stopped", released: null };
  if (broadcast.state === "scheduled") await stores.broadcasts.setState(broadcast.id, "sending");
  const waiting = await stores.broadcasts.waiting(broadcast.id, pace.sliceSize);
  if (waiting.length > 0) {
    await serveRecipients(deps, stores, broadcast, waiting);
    if (waiting.length === pace.sliceSize) {
      const at = new Date(deps.clock.now().getTime() + pace.pauseMs);
      await stores.broadcastTurns.schedule(turn, at);
      return { outcome: "served", released: null };
    }
  }
  return { outcome: "finished", released: await finishBroadcast(stores, broadcast, "done") };
}

async function serveRecipients(
  deps: ChatDeps,
  stores: Stores,
  broadcast: Broadcast,
  waiting: readonly BroadcastRecipient[],
): Promise<void> {
  const authorRef = { kind: "staff" as const, id: broadcast.authorId };
  const author = await findPerson(stores, authorRef);
  const allowed = author ? canBroadcast(author, broadcast.clinicId) : null;
  const now = deps.clock.now();
  const results = new Map<string, BroadcastRecipient>();
  const settle = (r: BroadcastRecipient, change: Partial<BroadcastRecipient>): null => {
    results.set(r.patientId, { ...r, attempts: r.attempts + 1, ...change });
    return null;
  };
  if (!author || !allowed?.allowed) {
    // The author may no longer broadcast (deactivated, or no longer an admin): nobody more receives it.
    const reason = allowed && !allowed.allowed ? allowed.reason : "NOT_FOUND";
    for (const r of waiting) settle(r, { status: "skipped", reason });
    await stores.broadcasts.record([...results.values()]);
    return;
  }
  const clinic = await loadClinic(stores, broadcast.clinicId);
  const patients = new Map(
    (
      await stores.broadcasts.audience({ kind: "selection", patientIds: waiting.map((r) => r.patientId) })
    ).map((p) => [p.id, p]),
  );
  const file =
    broadcast.content.kind === "file" ? await stores.broadcasts.file(broadcast.content.fileId) : null;
  // Each recipient's preparation is independent of the others': issued together, so a store
  // that can overlap them does.
  const prepared = await Promise.all(
    waiting.map(async (r) => {
      const patient = patients.get(r.patientId);
      const decision = patient
        ? broadcastRecipientDecision(clinic, author, patient, broadcast.content.kind)
        : ({ allowed: false, reason: "NOT_FOUND" } as const);
      if (!decision.allowed) return settle(r, { status: "skipped", reason: decision.reason });
      const conversation = await conversationWith(deps, stores, broadcast, patient!);
      const request = {
        actor: { clinicId: broadcast.clinicId, person: authorRef },
        conversationId: conversation,
        clientId: clientIdOf(broadcast),
      };
      if (broadcast.content.kind === "text")
        return {
          recipient: { ...r, conversationId: conversation },
          request: { ...request, content: broadcast.content },
        };
      // A file's copy is made once: a turn tried again finds the copy its first attempt posted.
      const sentBefore = await stores.messages.findByClientId(conversation, authorRef, request.clientId);
      if (sentBefore)
        return settle(r, { status: "sent", conversationId: conversation, messageId: sentBefore.id });
      if (!file) return settle(r, { status: "skipped", reason: "NOT_FOUND" });
      // The copy is this recipient's own record sharing the one stored object (DEL-2 per copy).
      const fileId = deps.ids.newId();
      await stores.files.create({
        id: fileId,
        clinicId: broadcast.clinicId,
        conversationId: conversation,
        uploader: authorRef,
        clientId: request.clientId,
        name: file.name,
        sizeBytes: file.sizeBytes,
        contentType: file.contentType,
        storageKey: file.storageKey,
        state: "ready",
        createdAt: now,
      });
      const checked = { sizeBytes: file.sizeBytes, contentType: file.contentType };
      return {
        recipient: { ...r, conversationId: conversation },
        request: { ...request, content: { kind: "file" as const, fileId, checked } },
      };
    }),
  );
  const posts: { recipient: BroadcastRecipient; request: PostRequest }[] = [];
  for (const p of prepared) if (p) posts.push(p);
  const outcomes = await postMessages(
    deps,
    stores,
    posts.map((p) => p.request),
  );
  const records = [];
  for (const [i, outcome] of outcomes.entries()) {
    const { recipient } = posts[i]!;
    if (outcome.ok) settle(recipient, { status: "sent", messageId: outcome.value.message.id });
    else {
      settle(recipient, { status: "skipped", reason: outcome.error.code });
      // A refused copy leaves no record behind; the broadcast still holds the object.
      const request = posts[i]!.request;
      if (request.content.kind === "file") await stores.files.remove(request.content.fileId);
    }
    records.push(
      auditRecord(
        deps,
        { clinicId: broadcast.clinicId, person: authorRef },
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

/** The patient's own conversation with the clinic, made if there is none (START-1), with the author in it. */
async function conversationWith(
  deps: ChatDeps,
  stores: Stores,
  broadcast: Broadcast,
  patient: Patient,
): Promise<string> {
  const by = { kind: "staff" as const, id: broadcast.authorId };
  const { conversation } = await openOrCreateConversation(deps, stores, {
    clinicId: broadcast.clinicId,
    kind: "patient",
    key: patientConversationKey(patient.id),
    patientId: patient.id,
    people: [by, { kind: "patient", id: patient.id }],
    by,
  });
  return conversation.id;
}
