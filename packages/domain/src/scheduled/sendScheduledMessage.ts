import { type PostRequest, postMessages } from "../chat/postMessages";
import type { Actor } from "../people/people";
import { auditRecord } from "../shared/audited";
import type { NotificationDeps } from "../shared/deps";
import type { ScheduledDue, ScheduledMessage } from "./ScheduledMessage";

/** What became of a due scheduled message. */
export type ScheduledOutcome =
  /** Posted now. */
  | "sent"
  /** Refused now, with the reason kept and the author told. */
  | "refused"
  /** Too early (the worker's clock ahead of ours): the worker tries again shortly. */
  | "not_due"
  /** The entry is for a time the message was moved from: the entry for its new time sends it. */
  | "moved"
  /** Sent, refused or cancelled already. */
  | "settled"
  | "unknown";

/**
 * Sends a scheduled message when it is due (SCHED-1), on whichever worker takes it. It is posted
 * through the one posting pipeline as its author, with its client id, so every rule of a send
 * holds as of now (ENT-1, ELIG-1, MSG-1, NOTIF-1 … 4, SEC-3) and a second attempt (another
 * worker, a retry after a crash) finds it gone already: it goes out once. A refusal now (the
 * patient's portal disabled, the plan changed, a switch off, the author deactivated) is kept with
 * its reason for the author to see in the conversation, and the author is emailed, PHI-free.
 * An entry for a time the message was moved from leaves it to the entry for its new time.
 */
export async function sendScheduledMessage(
  deps: NotificationDeps,
  due: ScheduledDue,
): Promise<ScheduledOutcome> {
  const result = await deps.uow.run(due.clinicId, async (stores) => {
    const scheduled = await stores.scheduledMessages.reserve(due.scheduledId);
    if (!scheduled) return { outcome: "unknown" as const, scheduled: null };
    if (scheduled.status !== "pending") return { outcome: "settled" as const, scheduled };
    if (scheduled.sendAt.getTime() !== due.sendAt.getTime()) {
      return { outcome: "moved" as const, scheduled };
    }
    if (scheduled.sendAt.getTime() > deps.clock.now().getTime())
      return { outcome: "not_due" as const, scheduled };
    const actor: Actor = { clinicId: scheduled.clinicId, person: { kind: "staff", id: scheduled.authorId } };
    const post: PostRequest = {
      actor,
      conversationId: scheduled.conversationId,
      clientId: scheduled.clientId,
      content: { kind: "text", text: scheduled.text },
    };
    const [outcome] = await postMessages(deps, stores, [post]);
    if (!outcome) throw new Error("an outcome for the post");
    const targets = { conversationId: scheduled.conversationId };
    if (outcome.ok) {
      const sent: ScheduledMessage = { ...scheduled, status: "sent", messageId: outcome.value.message.id };
      await stores.scheduledMessages.save(sent);
      await stores.audit.append(
        auditRecord(deps, actor, "message.send", { ...targets, messageId: sent.messageId }, "success", null),
      );
      return { outcome: "sent" as const, scheduled: sent };
    }
    const refused: ScheduledMessage = { ...scheduled, status: "refused", refusal: outcome.error.code };
    await stores.scheduledMessages.save(refused);
    await stores.audit.append(
      auditRecord(deps, actor, "message.send", targets, "denied", outcome.error.code),
    );
    return { outcome: "refused" as const, scheduled: refused };
  });
  const { scheduled } = result;
  if (scheduled?.status === "refused" && !scheduled.authorEmailed) await emailAuthor(deps, scheduled);
  return result.outcome;
}

/**
 * Tells the author by email that a scheduled message was not sent (SCHED-1). The email names the
 * clinic only, never the patient, the text or the reason (NOTIF-4): the conversation says why.
 * Sent after the refusal is kept; a failure to send leaves it unmarked, and the worker's retry
 * sends it then.
 */
async function emailAuthor(deps: NotificationDeps, scheduled: ScheduledMessage): Promise<void> {
  const facts = await deps.uow.run(scheduled.clinicId, async (stores) => ({
    author: await stores.directory.staffMember(scheduled.authorId),
    clinic: await stores.clinics.get(scheduled.clinicId),
  }));
  if (facts.author && facts.clinic && facts.author.active) {
    const link = `${deps.links.staffApp}/chat/${encodeURIComponent(scheduled.conversationId)}`;
    await deps.email.send(facts.author.email, {
      subject: `A scheduled message was not sent at ${facts.clinic.name}`,
      text: `A message you scheduled at ${facts.clinic.name} could not be sent when it was due. Sign in to see why: ${link}`,
      clinicName: facts.clinic.name,
      link,
    });
  }
  await deps.uow.run(scheduled.clinicId, async (stores) => {
    const current = await stores.scheduledMessages.reserve(scheduled.id);
    if (current) await stores.scheduledMessages.save({ ...current, authorEmailed: true });
  });
}
