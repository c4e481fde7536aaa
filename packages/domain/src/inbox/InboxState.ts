import { canAct, type ParticipantFacts } from "../people/Person";
import type { PersonRef } from "../people/people";
import { allow, type Decision, deny } from "../shared/Decision";

/** Whether a patient conversation still needs the clinic (INBOX-1). */
export type InboxStatus = "open" | "closed";

/**
 * Where a patient conversation stands in the clinic's inbox (INBOX-1): open or closed, who
 * handles it, who wrote last (for "Awaiting reply") and when the last automatic reply went out
 * (HOURS-3). Team conversations have none.
 */
export interface InboxState {
  readonly conversationId: string;
  readonly status: InboxStatus;
  /** The staff member handling it: always an active staff participant when set. */
  readonly assigneeId: string | null;
  /** Who sent the last message; an automatic reply is no one's message and leaves it as it is. */
  readonly lastSenderKind: PersonRef["kind"] | null;
  /** When the last automatic reply went out (HOURS-3); null when none has. */
  readonly lastAutoReplyAt: Date | null;
}

/** The state of a patient conversation no one has touched: open, unassigned, nothing sent. */
export function newInboxState(conversationId: string): InboxState {
  return { conversationId, status: "open", assigneeId: null, lastSenderKind: null, lastAutoReplyAt: null };
}

/** INBOX-1: "Awaiting reply": open, and the last message is the patient's. A closed conversation never is. */
export function awaitingReply(state: InboxState): boolean {
  return state.status === "open" && state.lastSenderKind === "patient";
}

/** The staff views of the inbox (INBOX-1). */
export const inboxViews = ["unassigned", "mine", "open", "awaiting", "closed"] as const;
/** One inbox view. */
export type InboxView = (typeof inboxViews)[number];

/** Whether a conversation belongs in a staff member's view (INBOX-1). */
export function inView(state: InboxState, view: InboxView, staffId: string): boolean {
  switch (view) {
    case "unassigned":
      return state.status === "open" && state.assigneeId === null;
    case "mine":
      return state.status === "open" && state.assigneeId === staffId;
    case "open":
      return state.status === "open";
    case "awaiting":
      return awaitingReply(state);
    case "closed":
      return state.status === "closed";
  }
}

/** What changed a conversation's place in the inbox; the timeline shows each (INBOX-2). */
export type InboxChange =
  | { readonly kind: "claim" }
  | { readonly kind: "assign"; readonly staffId: string }
  | { readonly kind: "unassign" }
  | { readonly kind: "close" }
  | { readonly kind: "reopen" };

/**
 * INBOX-1: may this staff member be the assignee? Only a participant of the conversation who is
 * active staff; anyone else is refused with the reason.
 */
export function canBeAssignee(participants: readonly ParticipantFacts[], staffId: string): Decision {
  const facts = participants.find((p) => p.ref.kind === "staff" && p.ref.id === staffId);
  if (!facts?.person) return deny("NOT_A_PARTICIPANT", { field: "staffId" });
  if (facts.person.kind !== "staff") return deny("NOT_A_PARTICIPANT", { field: "staffId" });
  return canAct(facts.person);
}

/**
 * The state after a staff member's change (INBOX-1, INBOX-2), or the refusal: claiming makes the
 * actor the assignee, assigning names another (both must be active staff participants);
 * unassigning, closing and reopening need no one. Closing keeps the assignee, so a reopened
 * conversation returns to them. A change that changes nothing is answered as it is.
 */
export function applyInboxChange(
  state: InboxState,
  change: InboxChange,
  actorStaffId: string,
  participants: readonly ParticipantFacts[],
): { readonly decision: Decision; readonly state: InboxState } {
  switch (change.kind) {
    case "claim":
    case "assign": {
      const staffId = change.kind === "claim" ? actorStaffId : change.staffId;
      const decision = canBeAssignee(participants, staffId);
      return { decision, state: decision.allowed ? { ...state, assigneeId: staffId } : state };
    }
    case "unassign":
      return { decision: allow, state: { ...state, assigneeId: null } };
    case "close":
      return { decision: allow, state: { ...state, status: "closed" } };
    case "reopen":
      return { decision: allow, state: { ...state, status: "open" } };
  }
}

/**
 * The state after a message (INBOX-1, INBOX-2): a patient's message reopens a closed
 * conversation and leaves it awaiting reply; a staff member's answers it.
 */
export function afterMessage(state: InboxState, sender: PersonRef): InboxState {
  return sender.kind === "patient"
    ? { ...state, status: "open", lastSenderKind: "patient" }
    : { ...state, lastSenderKind: "staff" };
}

/** The hours between two automatic replies of one conversation (HOURS-3). */
export const autoReplyWindowMs = 12 * 60 * 60 * 1000;

/** HOURS-3: whether the conversation's automatic reply is due again: none yet, or the last 12 hours ago or more. */
export function autoReplyDue(state: InboxState, now: Date): boolean {
  return (
    state.lastAutoReplyAt === null || now.getTime() - state.lastAutoReplyAt.getTime() >= autoReplyWindowMs
  );
}
