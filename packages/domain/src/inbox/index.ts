/** The shared inbox (INBOX-1 … INBOX-4): `@clinic-chat/domain/inbox`. */
export { followPostsInInbox, type PostInInbox, routedToAssignee } from "./afterPosting";
export { changeInbox, markUnread } from "./changeInbox";
export {
  applyInboxChange,
  autoReplyDue,
  autoReplyWindowMs,
  awaitingReply,
  canBeAssignee,
  type InboxChange,
  type InboxState,
  type InboxStatus,
  type InboxView,
  inboxViews,
  inView,
  newInboxState,
} from "./InboxState";
export {
  type InboxRowView,
  listInbox,
  type MessagePreview,
  maxInboxPage,
  previewLength,
  readTimeline,
  rowView,
} from "./listInbox";
export type { InboxCounts, InboxQuery, InboxRow, InboxStore, LastMessage } from "./ports";
export { type TimelineEntry, type TimelineKind, visibleToPatient } from "./Timeline";
