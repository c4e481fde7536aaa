import { checkMessageText } from "../chat/messageRules";
import { loadClinic } from "../clinic/loadClinic";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed, refuse } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { AudienceChoice, Broadcast, BroadcastContent, BroadcastRecipient } from "./Broadcast";
import { type BroadcastView, broadcastView } from "./broadcastViews";
import { loadBroadcaster } from "./loadBroadcaster";
import { audienceOf, canBroadcastContent, planRecipients } from "./rules";

/** What an admin sees before sending (BCAST-1): how many receive it, and who is skipped and why. */
export interface BroadcastPreview {
  readonly recipients: number;
  readonly skipped: readonly {
    readonly patientId: string;
    readonly name: string;
    readonly dateOfBirth: string | null;
    readonly reason: string;
  }[];
}

/**
 * BCAST-1: who a broadcast of this kind to this audience would reach, and who it would skip with
 * the reason (ELIG-1, ENT-1), before anything is sent. Refused outright when the clinic cannot
 * send this kind of content to patients at all.
 */
export function previewBroadcast(
  deps: ChatDeps,
  actor: Actor,
  input: { audience: AudienceChoice; kind: BroadcastContent["kind"] },
): Promise<BroadcastPreview> {
  return audited(deps, actor, "broadcast.preview", async (stores) => {
    const author = await loadBroadcaster(stores, actor);
    const clinic = await loadClinic(stores, actor.clinicId);
    assertAllowed(canBroadcastContent(clinic, input.kind));
    const patients = await stores.broadcasts.audience(audienceOf(clinic, input.audience));
    const plan = planRecipients(clinic, author, patients, input.kind);
    return {
      recipients: plan.recipients.length,
      skipped: plan.skipped.map((s) => ({
        patientId: s.patient.id,
        name: s.patient.name,
        dateOfBirth: s.patient.dateOfBirth ?? null,
        reason: s.reason,
      })),
    };
  });
}

/** What an admin sends: the content, to whom, when (null: now), and the client id that makes a retry safe. */
export interface BroadcastInput {
  readonly clientId: string;
  readonly content: BroadcastContent;
  readonly audience: AudienceChoice;
  readonly sendAt: Date | null;
}

/**
 * BCAST-1: creates a broadcast and schedules its first turn for its time (now, or later), in one
 * unit of work with its audit record. Each patient the audience names is a recipient, waiting, or
 * skipped with the reason found now (ELIG-1, ENT-1); eligibility is checked again when their turn
 * comes. Creating again with the same client id returns the broadcast made the first time (MSG-1).
 */
export function sendBroadcast(deps: ChatDeps, actor: Actor, input: BroadcastInput): Promise<BroadcastView> {
  return audited(deps, actor, "broadcast.create", async (stores, targets) => {
    const author = await loadBroadcaster(stores, actor);
    const before = await stores.broadcasts.byClientId(actor.person.id, input.clientId);
    if (before) {
      targets.broadcastId = before.id;
      return broadcastView(before, await stores.broadcasts.progress(before.id), stores);
    }
    const clinic = await loadClinic(stores, actor.clinicId);
    assertAllowed(canBroadcastContent(clinic, input.content.kind));
    const content = await checkedContent(stores, actor, input.content);
    const now = deps.clock.now();
    const sendAt = input.sendAt && input.sendAt > now ? input.sendAt : now;
    const broadcast: Broadcast = {
      id: deps.ids.newId(),
      clinicId: actor.clinicId,
      authorId: actor.person.id,
      clientId: input.clientId,
      content,
      audience: audienceOf(clinic, input.audience),
      state: sendAt > now ? "scheduled" : "sending",
      sendAt,
      createdAt: now,
    };
    targets.broadcastId = broadcast.id;
    const plan = planRecipients(
      clinic,
      author,
      await stores.broadcasts.audience(broadcast.audience),
      content.kind,
    );
    const recipient = (patientId: string): BroadcastRecipient => ({
      broadcastId: broadcast.id,
      patientId,
      status: "waiting",
      reason: null,
      attempts: 0,
      conversationId: null,
      messageId: null,
    });
    await stores.broadcasts.create(broadcast, [
      ...plan.recipients.map((p) => recipient(p.id)),
      ...plan.skipped.map((s) => ({
        ...recipient(s.patient.id),
        status: "skipped" as const,
        reason: s.reason,
      })),
    ]);
    await stores.broadcastTurns.schedule({ clinicId: actor.clinicId, broadcastId: broadcast.id }, sendAt);
    return broadcastView(broadcast, await stores.broadcasts.progress(broadcast.id), stores);
  });
}

/** The content as it will go: a text within MSG-1's limits, or a file of the author's whose bytes passed the checks. */
async function checkedContent(
  stores: Stores,
  actor: Actor,
  content: BroadcastContent,
): Promise<BroadcastContent> {
  if (content.kind === "text") {
    const checked = checkMessageText(content.text);
    if (!checked.ok) refuse(checked.decision);
    return { kind: "text", text: checked.text };
  }
  const file = await stores.broadcasts.file(content.fileId);
  if (!file || file.uploaderId !== actor.person.id) throw new DomainError("NOT_FOUND");
  if (file.state !== "ready") throw new DomainError("FILE_NOT_UPLOADED");
  return content;
}
