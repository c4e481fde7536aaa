import type { NewConversationEvent } from "../chat/ConversationEvent";
import type { Message } from "../chat/Message";
import type { Clinic } from "../clinic/Clinic";
import { isOpenAt, nextOpening } from "../hours/schedule";
import type { PersonRef } from "../people/people";
import type { Ids } from "../shared/ports";
import type { Stores } from "../shared/UnitOfWork";
import { afterMessage, autoReplyDue, type InboxState } from "./InboxState";
import type { TimelineEntry } from "./Timeline";

/**
 * Keeps a patient conversation's inbox in step with a message posted into it, in the posting
 * unit of work: who wrote last ("Awaiting reply", INBOX-1); a patient's message reopens a closed
 * conversation (INBOX-2) and, outside opening hours, gets the automatic reply once per 12 hours
 * (HOURS-3), an entry of the timeline that names the next opening, notifies nobody and leaves
 * "Awaiting reply" as the patient's message left it.
 */
export async function followPostInInbox(
  deps: { readonly ids: Ids },
  stores: Stores,
  clinic: Clinic,
  before: InboxState,
  message: Message,
): Promise<void> {
  let state = afterMessage(before, message.sender);
  const at = message.sentAt;
  const entries: TimelineEntry[] = [];
  const events: NewConversationEvent[] = [];
  const entry = (kind: TimelineEntry["kind"], actor: PersonRef | null, nextOpeningAt: Date | null = null) =>
    entries.push({
      id: deps.ids.newId(),
      conversationId: message.conversationId,
      kind,
      actor,
      subjectStaffId: null,
      afterSeq: message.seq,
      at,
      nextOpeningAt,
    });
  if (before.status === "closed" && state.status === "open") {
    entry("reopened", message.sender);
    events.push(inboxEvent(clinic.id, message.conversationId, "inbox.changed", message.sender, at));
  }
  const hours = clinic.officeHours;
  if (
    message.sender.kind === "patient" &&
    hours?.afterHoursReply &&
    !isOpenAt(hours, at) &&
    autoReplyDue(state, at)
  ) {
    state = { ...state, lastAutoReplyAt: at };
    entry("auto_reply", null, nextOpening(hours, at));
    events.push(inboxEvent(clinic.id, message.conversationId, "conversation.auto_replied", null, at));
  }
  // Most posts leave the state as it was (a reply after a reply): nothing to write then.
  if (!sameInboxState(before, state)) await stores.inbox.save(state);
  if (entries.length > 0) await stores.inbox.addTimeline(entries);
  if (events.length > 0) await stores.events.append(events);
}

function sameInboxState(a: InboxState, b: InboxState): boolean {
  return (
    a.status === b.status &&
    a.assigneeId === b.assigneeId &&
    a.lastSenderKind === b.lastSenderKind &&
    a.lastAutoReplyAt?.getTime() === b.lastAutoReplyAt?.getTime()
  );
}

/** A content-free live event of the inbox (MSG-2): ids only. */
export function inboxEvent(
  clinicId: string,
  conversationId: string,
  type: "inbox.changed" | "conversation.auto_replied",
  person: PersonRef | null,
  at: Date,
): NewConversationEvent {
  return { clinicId, conversationId, type, messageId: null, person, seq: null, at };
}

/**
 * INBOX-4: whom a message notifies among those NOTIF-3 names. A patient's message in an assigned
 * conversation notifies its assignee and no other staff member; unassigned, every staff
 * participant. An assignee who can no longer be notified (deactivated) leaves it to the others.
 */
export function routedToAssignee<R extends { readonly person: PersonRef }>(
  recipients: readonly R[],
  sender: PersonRef,
  inbox: InboxState | null,
): R[] {
  const assigneeId = inbox?.assigneeId ?? null;
  if (sender.kind !== "patient" || assigneeId === null) return [...recipients];
  const isAssignee = (r: R) => r.person.kind === "staff" && r.person.id === assigneeId;
  if (!recipients.some(isAssignee)) return [...recipients];
  return recipients.filter((r) => r.person.kind !== "staff" || isAssignee(r));
}
