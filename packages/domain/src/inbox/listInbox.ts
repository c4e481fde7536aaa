import { loadConversationFor } from "../chat/loadConversation";
import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { type PersonView, personViews } from "../people/personViews";
import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { awaitingReply, type InboxView, inboxViews } from "./InboxState";
import type { InboxCounts, InboxRow } from "./ports";
import { type TimelineEntry, visibleToPatient } from "./Timeline";

/** Largest inbox page. */
export const maxInboxPage = 100;
/** How much of the last message's text an inbox row shows. */
export const previewLength = 140;

/** What an inbox row shows of the last message: its sender and a preview (INBOX-1, PRODUCT.md §8). */
export type MessagePreview =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "file" }
  | { readonly kind: "deleted" };

/** One row of an inbox view as staff see it. */
export interface InboxRowView {
  readonly conversationId: string;
  readonly patientId: string | null;
  readonly status: InboxRow["inbox"]["status"];
  readonly assigneeId: string | null;
  readonly awaitingReply: boolean;
  readonly lastActivityAt: Date;
  readonly unreadCount: number;
  readonly markedUnread: boolean;
  readonly participants: InboxRow["participants"];
  readonly lastMessage: {
    readonly sender: InboxRow["participants"][number];
    readonly sentAt: Date;
    readonly preview: MessagePreview;
  } | null;
}

/**
 * A page of one of the staff member's inbox views, with every view's count, their unread total
 * and the people the rows name (INBOX-1, MSG-3). Audited like the conversation list (SEC-3).
 */
export function listInbox(
  deps: ChatDeps,
  actor: Actor,
  input: { view: InboxView; limit: number; cursor?: string | null },
): Promise<{
  items: InboxRowView[];
  nextCursor: string | null;
  counts: InboxCounts;
  totalUnread: number;
  people: PersonView[];
}> {
  return audited(deps, actor, "inbox.list", async (stores) => {
    const staff = await loadActing(stores, actor, { as: "staff" });
    await loadClinic(stores, actor.clinicId);
    if (!inboxViews.includes(input.view)) {
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "view" });
    }
    if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > maxInboxPage) {
      throw new DomainError("INVALID_INPUT", "INVALID_INPUT", { field: "limit", max: maxInboxPage });
    }
    const page = await stores.inbox.list(staff.id, {
      view: input.view,
      limit: input.limit,
      cursor: input.cursor ?? null,
    });
    const counts = await stores.inbox.counts(staff.id);
    const totalUnread = await stores.conversations.totalUnread(actor.person);
    const people = await personViews(
      stores,
      page.items.flatMap((row) => row.participants),
    );
    return { items: page.items.map(rowView), nextCursor: page.nextCursor, counts, totalUnread, people };
  });
}

/** The row as staff see it: the preview cut to {@link previewLength} characters. */
export function rowView(row: InboxRow): InboxRowView {
  const last = row.lastMessage;
  return {
    conversationId: row.conversation.id,
    patientId: row.conversation.patientId,
    status: row.inbox.status,
    assigneeId: row.inbox.assigneeId,
    awaitingReply: awaitingReply(row.inbox),
    lastActivityAt: row.conversation.lastActivityAt,
    unreadCount: row.unreadCount,
    markedUnread: row.markedUnread,
    participants: row.participants,
    lastMessage: last
      ? {
          sender: last.sender,
          sentAt: last.sentAt,
          preview:
            last.body.kind === "text"
              ? { kind: "text", text: [...last.body.text].slice(0, previewLength).join("") }
              : { kind: last.body.kind },
        }
      : null,
  };
}

/**
 * A conversation's timeline entries and inbox state (INBOX-2, HOURS-3), for a participant: staff
 * see every entry, a patient only the automatic replies. Audited as reading the conversation.
 */
export function readTimeline(
  deps: ChatDeps,
  actor: Actor,
  input: { conversationId: string },
): Promise<{
  entries: TimelineEntry[];
  inbox: { status: InboxRowView["status"]; assigneeId: string | null; awaitingReply: boolean } | null;
}> {
  return audited(deps, actor, "conversation.read_history", async (stores, targets) => {
    targets.conversationId = input.conversationId;
    const access = await loadConversationFor(stores, actor, input.conversationId);
    const state = await stores.inbox.get(access.conversation.id);
    // A Team Chat has no inbox state; its timeline holds its renames.
    if (!state)
      return {
        entries:
          access.conversation.kind === "team" ? await stores.inbox.timeline(access.conversation.id) : [],
        inbox: null,
      };
    const entries = await stores.inbox.timeline(access.conversation.id);
    if (actor.person.kind === "patient") return { entries: entries.filter(visibleToPatient), inbox: null };
    return {
      entries,
      inbox: { status: state.status, assigneeId: state.assigneeId, awaitingReply: awaitingReply(state) },
    };
  });
}
