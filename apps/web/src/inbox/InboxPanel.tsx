import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { UnreadBadge } from "../chat/ConversationList";
import { formatMessageTime } from "../chat/formatTime";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import type { Outputs, PersonRef, PersonView } from "../rpc/types";
import { BirthDate } from "../ui/BirthDate";
import { ErrorText, Loading } from "../ui/Feedback";
import { type InboxView, inboxViewNames } from "./inboxWords";

type InboxPage = Outputs["inbox"]["list"];
type InboxRow = InboxPage["items"][number];

/** What the staff Chat page shows: every conversation, or one of the inbox's views. */
export type ChatListChoice = "all" | InboxView;

/** The clinic's inbox views with their live counts (INBOX-1); "All chats" is the flat list. */
export function InboxViews({
  choice,
  onChoose,
  counts,
}: {
  choice: ChatListChoice;
  onChoose: (choice: ChatListChoice) => void;
  counts: InboxPage["counts"] | undefined;
}) {
  const options: (readonly [ChatListChoice, string])[] = [["all", "All chats"], ...inboxViewNames];
  return (
    <fieldset className="inbox-views">
      <legend className="visually-hidden">Inbox views</legend>
      {options.map(([value, name]) => (
        <button
          key={value}
          type="button"
          className="inbox-views__view"
          aria-pressed={choice === value}
          onClick={() => onChoose(value)}
          data-testid={`inbox-view-${value}`}
        >
          <span>{name}</span>
          {value !== "all" && counts ? (
            <span className="inbox-views__count" data-testid={`inbox-count-${value}`}>
              {counts[value]}
            </span>
          ) : null}
        </button>
      ))}
    </fieldset>
  );
}

/** The inbox's counts and, for a view, its first page (INBOX-1); live through the event stream. */
export function useInbox(choice: ChatListChoice) {
  const trpc = useTRPC();
  return useQuery(trpc.inbox.list.queryOptions({ view: choice === "all" ? "open" : choice, limit: 50 }));
}

/** One view's rows: the patient, the last message's sender and preview, the assignee, unread (INBOX-1, INBOX-3). */
export function InboxList({
  page,
  view,
  me,
  activeId,
}: {
  page: InboxPage;
  view: InboxView;
  me: PersonRef;
  activeId?: string | undefined;
}) {
  const people = new Map<string, PersonView>(page.people.map((p) => [`${p.kind}:${p.id}`, p]));
  const viewName = inboxViewNames.find(([v]) => v === view)?.[1] ?? "Inbox";
  return (
    <nav className="conversation-list" aria-label={`Inbox: ${viewName}`}>
      {page.items.length === 0 ? <p className="hint conversation-list__empty">Nothing here.</p> : null}
      <ul className="conversation-list__items" data-testid="inbox-rows">
        {page.items.map((row) => (
          <li key={row.conversationId}>
            <InboxRowLink row={row} people={people} me={me} active={row.conversationId === activeId} />
          </li>
        ))}
      </ul>
    </nav>
  );
}

function InboxRowLink({
  row,
  people,
  me,
  active,
}: {
  row: InboxRow;
  people: ReadonlyMap<string, PersonView>;
  me: PersonRef;
  active: boolean;
}) {
  const patient = row.patientId ? people.get(`patient:${row.patientId}`) : undefined;
  const assignee = row.assigneeId ? people.get(`staff:${row.assigneeId}`) : undefined;
  const last = row.lastMessage;
  const sender = last
    ? last.sender.kind === me.kind && last.sender.id === me.id
      ? "You"
      : (people.get(`${last.sender.kind}:${last.sender.id}`)?.name ?? "Former participant")
    : null;
  const preview = !last
    ? ""
    : last.preview.kind === "text"
      ? last.preview.text
      : last.preview.kind === "file"
        ? "Sent a file"
        : "Message deleted";
  const unread = row.unreadCount > 0 || row.markedUnread;
  return (
    <Link
      to="/staff/chat/$conversationId"
      params={{ conversationId: row.conversationId }}
      className={`conversation-row inbox-row${unread ? " conversation-row--unread" : ""}`}
      aria-current={active ? "page" : undefined}
      data-testid="inbox-row"
    >
      <span className="conversation-row__title">{patient?.name ?? "Patient"}</span>
      <span className="inbox-row__preview" data-testid="inbox-preview">
        {sender ? <span className="inbox-row__sender">{sender}: </span> : null}
        {preview}
      </span>
      <span className="conversation-row__meta">
        <BirthDate dateOfBirth={patient?.dateOfBirth} />
        <span className="hint" data-testid="inbox-assignee">
          {row.status === "closed" ? "Closed" : assignee ? `Assigned to ${assignee.name}` : "Unassigned"}
        </span>
        {row.awaitingReply ? <span className="tag">Awaiting reply</span> : null}
        <time className="hint" dateTime={String(row.lastActivityAt)}>
          {formatMessageTime(String(row.lastActivityAt))}
        </time>
      </span>
      {row.markedUnread && row.unreadCount === 0 ? (
        <span className="badge" data-testid="marked-unread">
          <span aria-hidden="true">•</span>
          <span className="visually-hidden">Marked unread</span>
        </span>
      ) : (
        <UnreadBadge count={row.unreadCount} />
      )}
    </Link>
  );
}

/** The inbox panel of the Chat page when a view is chosen. */
export function InboxViewList({
  view,
  me,
  activeId,
}: {
  view: InboxView;
  me: PersonRef;
  activeId?: string | undefined;
}) {
  const inbox = useInbox(view);
  if (inbox.isPending) return <Loading />;
  if (inbox.isError) return <ErrorText>{errorMessage(inbox.error)}</ErrorText>;
  return <InboxList page={inbox.data} view={view} me={me} activeId={activeId} />;
}
