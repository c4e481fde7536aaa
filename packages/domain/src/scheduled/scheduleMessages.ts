import { loadConversationFor } from "../chat/loadConversation";
import { checkMessageText } from "../chat/messageRules";
import type { Clinic } from "../clinic/Clinic";
import { wallClockAt } from "../hours/zonedTime";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { type AuditTargets, audited, auditRecord, recordAudit } from "../shared/audited";
import { refuse } from "../shared/Decision";
import { DomainError, type DomainErrorCode, isDomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import type { ScheduledMessage, ScheduledStatus } from "./ScheduledMessage";
import { isSendableLater, type LocalTime, type QuickPick, quickPicks, scheduledInstant } from "./sendLater";

/** A scheduled message as staff see it in its conversation (SCHED-1). */
export interface ScheduledView {
  readonly id: string;
  readonly conversationId: string;
  readonly clientId: string;
  readonly text: string;
  readonly sendAt: Date;
  /** When it goes, on the clinic's wall clock. */
  readonly local: LocalTime & { readonly timeZone: string };
  readonly status: ScheduledStatus;
  readonly refusal: DomainErrorCode | null;
  /** True for the viewer's own: only its author edits or cancels it. */
  readonly mine: boolean;
}

/** What "Send later" asks for: the text, where, when on the clinic's wall clock, and the client id that makes a retry safe. */
export interface ScheduleInput {
  readonly conversationId: string;
  readonly clientId: string;
  readonly text: string;
  readonly when: LocalTime;
}

/** What "Send later" offers (SCHED-1): the clinic's zone and its quick picks, as of now. */
export interface SendLaterOptions {
  readonly timeZone: string;
  readonly today: string;
  readonly quickPicks: readonly QuickPick[];
}

/** The clinic's zone and the quick picks of "Send later", for a staff member. */
export async function sendLaterOptions(deps: ChatDeps, actor: Actor): Promise<SendLaterOptions> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "staff" });
    const clinic = await stores.clinics.get(actor.clinicId);
    if (!clinic) throw new DomainError("NOT_FOUND");
    const now = deps.clock.now();
    return {
      timeZone: clinic.timeZone,
      today: wallClockAt(now, clinic.timeZone).date,
      quickPicks: quickPicks(now, clinic.timeZone),
    };
  });
}

/**
 * Schedules a text for later (SCHED-1): a staff member in the conversation, a sendable text
 * (MSG-1) and a time ahead. The composer must be open for text now as well (ENT-1, ELIG-1), so
 * nobody schedules into a conversation that refuses already; every rule is checked again when it
 * goes. A retry with the same client id answers the one scheduled before.
 */
export async function scheduleMessage(
  deps: ChatDeps,
  actor: Actor,
  input: ScheduleInput,
): Promise<ScheduledView> {
  const text = checkedText(input.text);
  return audited(deps, actor, "message.schedule", async (stores, targets) => {
    const access = await accessIn(stores, actor, input.conversationId, targets);
    if (!access.composer.text.allowed) refuse(access.composer.text);
    const staffId = access.staffId;
    const before = await stores.scheduledMessages.byClientId(staffId, input.clientId);
    if (before) {
      if (before.conversationId !== input.conversationId)
        throw new DomainError("CONFLICT", "CONFLICT", { field: "clientId" });
      return scheduledView(before, staffId, access.clinic);
    }
    const sendAt = sendAtOf(deps, input.when, access.clinic);
    const scheduled: ScheduledMessage = {
      id: deps.ids.newId(),
      clinicId: actor.clinicId,
      conversationId: input.conversationId,
      authorId: staffId,
      clientId: input.clientId,
      text,
      sendAt,
      status: "pending",
      messageId: null,
      refusal: null,
      authorEmailed: false,
      createdAt: deps.clock.now(),
    };
    await stores.scheduledMessages.save(scheduled);
    await stores.scheduledQueue.schedule({
      clinicId: actor.clinicId,
      scheduledId: scheduled.id,
      sendAt: scheduled.sendAt,
    });
    return scheduledView(scheduled, staffId, access.clinic);
  });
}

/** Changes the text or the time of one's own scheduled message while it waits (SCHED-1). */
export async function editScheduledMessage(
  deps: ChatDeps,
  actor: Actor,
  input: { scheduledId: string; text: string; when: LocalTime },
): Promise<ScheduledView> {
  const text = checkedText(input.text);
  return audited(deps, actor, "message.schedule_edit", async (stores, targets) => {
    const { scheduled, staffId, clinic } = await ownPending(stores, actor, input.scheduledId, targets);
    const edited: ScheduledMessage = { ...scheduled, text, sendAt: sendAtOf(deps, input.when, clinic) };
    await stores.scheduledMessages.save(edited);
    if (edited.sendAt.getTime() !== scheduled.sendAt.getTime()) {
      // The entry for the old time finds the message moved and leaves it.
      await stores.scheduledQueue.schedule({
        clinicId: actor.clinicId,
        scheduledId: edited.id,
        sendAt: edited.sendAt,
      });
    }
    return scheduledView(edited, staffId, clinic);
  });
}

/** Cancels one's own scheduled message while it waits (SCHED-1); nothing goes out. */
export async function cancelScheduledMessage(
  deps: ChatDeps,
  actor: Actor,
  input: { scheduledId: string },
): Promise<void> {
  await audited(deps, actor, "message.schedule_cancel", async (stores, targets) => {
    const { scheduled } = await ownPending(stores, actor, input.scheduledId, targets);
    await stores.scheduledMessages.save({ ...scheduled, status: "cancelled" });
  });
}

/**
 * A conversation's scheduled messages as a staff member in it sees them (SCHED-1): every one
 * still waiting, and their own that were refused when due, with the reason. Patients never see them.
 */
export async function listScheduledMessages(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<ScheduledView[]> {
  const targets: AuditTargets = {};
  try {
    return await deps.uow.run(actor.clinicId, async (stores) => {
      const { staffId, clinic } = await accessIn(stores, actor, input.conversationId, targets);
      const views = (await stores.scheduledMessages.inConversation(input.conversationId))
        .filter((s) => s.status === "pending" || (s.status === "refused" && s.authorId === staffId))
        .map((s) => scheduledView(s, staffId, clinic));
      // Their texts are the conversation's content, so reading them is audited (SEC-3). An empty
      // list reads nothing, and the conversation asks again every few seconds while it is open.
      if (views.length > 0) {
        await stores.audit.append(
          auditRecord(deps, actor, "message.schedule_list", targets, "success", null),
        );
      }
      return views;
    });
  } catch (error) {
    if (isDomainError(error)) {
      await recordAudit(deps, actor, "message.schedule_list", targets, "denied", error.code);
    }
    throw error;
  }
}

/** The staff member acting, who must be in the conversation (ELIG-4 … ELIG-6); patients are refused. */
async function accessIn(stores: Stores, actor: Actor, conversationId: string, targets: AuditTargets) {
  targets.conversationId = conversationId;
  const access = await loadConversationFor(stores, actor, conversationId);
  if (access.person.kind !== "staff") throw new DomainError("FORBIDDEN");
  return { ...access, staffId: access.person.staff.id };
}

/** One's own scheduled message, reserved, still waiting; anything else is NOT_FOUND or CONFLICT. */
async function ownPending(stores: Stores, actor: Actor, scheduledId: string, targets: AuditTargets) {
  const scheduled = await stores.scheduledMessages.reserve(scheduledId);
  if (!scheduled) throw new DomainError("NOT_FOUND");
  const { staffId, clinic } = await accessIn(stores, actor, scheduled.conversationId, targets);
  if (scheduled.authorId !== staffId) throw new DomainError("NOT_FOUND");
  if (scheduled.status !== "pending")
    throw new DomainError("CONFLICT", "CONFLICT", { status: scheduled.status });
  return { scheduled, staffId, clinic };
}

function checkedText(text: string): string {
  const checked = checkMessageText(text);
  if (!checked.ok) refuse(checked.decision);
  return checked.text;
}

/** The instant a wall-clock time of the clinic names, if it is ahead and not too far (SCHED-1). */
function sendAtOf(deps: Pick<ChatDeps, "clock">, when: LocalTime, clinic: Clinic): Date {
  const sendAt = scheduledInstant(when.date, when.minute, clinic.timeZone);
  if (!isSendableLater(sendAt, deps.clock.now())) {
    throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "when" });
  }
  return sendAt;
}

function scheduledView(s: ScheduledMessage, viewerId: string, clinic: Clinic): ScheduledView {
  const wall = wallClockAt(s.sendAt, clinic.timeZone);
  return {
    id: s.id,
    conversationId: s.conversationId,
    clientId: s.clientId,
    text: s.text,
    sendAt: s.sendAt,
    local: { date: wall.date, minute: wall.minute, timeZone: clinic.timeZone },
    status: s.status,
    refusal: s.refusal,
    mine: s.authorId === viewerId,
  };
}
