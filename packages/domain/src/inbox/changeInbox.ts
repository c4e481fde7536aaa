import type { AuditAction } from "../audit/AuditEvent";
import { loadConversationFor } from "../chat/loadConversation";
import { actingAs } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import type { Stores } from "../shared/UnitOfWork";
import { eventsOfInboxChange, tellHost } from "../webhooks/tellHost";
import { inboxEvent } from "./afterPosting";
import { applyInboxChange, type InboxChange, type InboxState, newInboxState } from "./InboxState";
import type { TimelineEntry, TimelineKind } from "./Timeline";

const auditActionOf: Record<InboxChange["kind"], AuditAction> = {
  claim: "inbox.claim",
  assign: "inbox.assign",
  unassign: "inbox.unassign",
  close: "inbox.close",
  reopen: "inbox.reopen",
};

const timelineKindOf: Record<InboxChange["kind"], TimelineKind> = {
  claim: "claimed",
  assign: "assigned",
  unassign: "unassigned",
  close: "closed",
  reopen: "reopened",
};

/**
 * A staff participant claims, assigns, unassigns, closes or reopens a patient conversation
 * (INBOX-1, INBOX-2): audited (SEC-3), shown in its timeline and live for its staff. The assignee
 * must be an active staff participant. A change that changes nothing writes nothing but its audit
 * record.
 */
export function changeInbox(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string; change: InboxChange },
): Promise<InboxState> {
  return audited(deps, actor, auditActionOf[input.change.kind], async (stores, targets) => {
    targets.conversationId = input.conversationId;
    if (input.change.kind === "assign") targets.subject = { kind: "staff", id: input.change.staffId };
    const { access, state } = await loadInbox(stores, actor, input.conversationId);
    // REC-2: an erased patient's conversation stays closed and with no one: nothing can come of it.
    if (access.patient?.erasure && input.change.kind !== "close" && input.change.kind !== "unassign")
      throw new DomainError("CONVERSATION_READ_ONLY");
    const next = applyInboxChange(state, input.change, actor.person.id, access.participants);
    assertAllowed(next.decision);
    if (sameState(state, next.state)) return state;
    const at = deps.clock.now();
    await stores.inbox.save(next.state);
    const entry: TimelineEntry = {
      id: deps.ids.newId(),
      conversationId: state.conversationId,
      kind: timelineKindOf[input.change.kind],
      actor: actor.person,
      subjectStaffId: next.state.assigneeId !== state.assigneeId ? next.state.assigneeId : null,
      afterSeq: access.conversation.lastSeq,
      at,
      nextOpeningAt: null,
    };
    await stores.inbox.addTimeline([entry]);
    await stores.events.append([
      inboxEvent(actor.clinicId, state.conversationId, "inbox.changed", actor.person, at),
    ]);
    await tellHost(stores, access.clinic, eventsOfInboxChange(state, next.state, at));
    return next.state;
  });
}

/**
 * A staff participant marks a conversation unread for themselves (INBOX-3); reading it clears
 * the mark. Live for their other sessions.
 */
export function markUnread(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<{ markedUnread: true }> {
  return audited(deps, actor, "inbox.mark_unread", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const { state } = await loadInbox(stores, actor, input.conversationId);
    await stores.inbox.setMarkedUnread(state.conversationId, actor.person, true);
    await stores.events.append([
      inboxEvent(actor.clinicId, state.conversationId, "inbox.changed", actor.person, deps.clock.now()),
    ]);
    return { markedUnread: true };
  });
}

/**
 * A patient conversation the actor, a staff participant, may work on, with its inbox state. Team
 * Chat has no inbox: NOT_FOUND, as for a conversation that is not theirs.
 */
export async function loadInbox(stores: Stores, actor: Actor, conversationId: string) {
  const access = await loadConversationFor(stores, actor, conversationId);
  actingAs(access.person, "staff");
  if (access.conversation.kind !== "patient") throw new DomainError("NOT_FOUND");
  const state = (await stores.inbox.get(access.conversation.id)) ?? newInboxState(access.conversation.id);
  return { access, state };
}

function sameState(a: InboxState, b: InboxState): boolean {
  return a.status === b.status && a.assigneeId === b.assigneeId;
}
