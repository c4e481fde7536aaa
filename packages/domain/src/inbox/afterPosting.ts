import type { NewConversationEvent } from "../chat/ConversationEvent";
import type { Message } from "../chat/Message";
import type { Clinic } from "../clinic/Clinic";
import { isOpenAt, nextOpening } from "../hours/schedule";
import type { PersonRef } from "../people/people";
import type { Ids } from "../shared/ports";
import type { Stores } from "../shared/UnitOfWork";
import { afterMessage, autoReplyDue, type InboxState } from "./InboxState";
import type { TimelineEntry } from "./Timeline";

/** A post into a patient conversation, with the conversation's inbox state before it. */
export interface PostInInbox {
  readonly clinic: Clinic;
  readonly before: InboxState;
  readonly message: Message;
}

/**
 * Keeps patient conversations' inboxes in step with messages posted into them, in the posting
 * unit of work: who wrote last ("Awaiting reply", INBOX-1); a patient's message reopens a closed
 * conversation (INBOX-2) and, outside opening hours, gets the automatic reply once per 12 hours
 * (HOURS-3), an entry of the timeline that names the next opening, notifies nobody and leaves
 * "Awaiting reply" as the patient's message left it. However many posts, the states that changed
 * are saved together, and so are the timeline entries and the live events.
 */
export async function followPostsInInbox(
  deps: { readonly ids: Ids },
  stores: Stores,
  posts: readonly PostInInbox[],
): Promise<void> {
  const states: InboxState[] = [];
  const entries: TimelineEntry[] = [];
  const events: NewConversationEvent[] = [];
  for (const post of posts) {
    const after = followPost(deps, post, entries, events);
    // Most posts leave the state as it was (a reply after a reply): nothing to write then.
    if (!sameInboxState(post.before, after)) states.push(after);
  }
  if (states.length > 0) await stores.inbox.saveAll(states);
  if (entries.length > 0) await stores.inbox.addTimeline(entries);
  if (events.length > 0) await stores.events.append(events);
}

/** One post's new inbox state; its timeline entries and live events are added to those given. */
function followPost(
  deps: { readonly ids: Ids },
  { clinic, before, message }: PostInInbox,
  entries: TimelineEntry[],
  events: NewConversationEvent[],
): InboxState {
  let state = afterMessage(before, message.sender);
  const at = message.sentAt;
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
  return state;
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
