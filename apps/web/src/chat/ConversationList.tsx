import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import type { Audience } from "../auth/audience";
import type { ConversationSummary, PersonRef, PersonView } from "../rpc/types";
import { BirthDate } from "../ui/BirthDate";
import { formatMessageTime } from "./formatTime";

/** The name a conversation goes by in the list, from where the reader stands. */
export function summaryTitle(
  item: ConversationSummary,
  people: ReadonlyMap<string, PersonView>,
  me: PersonRef,
  audience: Audience,
  clinicName: string,
): string {
  const others = item.participants
    .filter((p) => !(p.kind === me.kind && p.id === me.id))
    .map((p) => people.get(`${p.kind}:${p.id}`))
    .filter((p): p is PersonView => p !== undefined);
  if (item.conversation.kind === "patient" && audience === "staff")
    return others.find((p) => p.kind === "patient")?.name ?? "Patient";
  if (item.conversation.name) return item.conversation.name;
  const staff = others.filter((p) => p.kind === "staff").map((p) => p.name);
  if (audience === "patient") return staff.length > 0 ? staff.join(", ") : clinicName;
  return staff.length > 0 ? staff.join(", ") : "Only you";
}

/** The patient of a patient conversation, as the list's people know them (ADMIN-5: staff see their date of birth). */
function patientOf(
  item: ConversationSummary,
  people: ReadonlyMap<string, PersonView>,
): PersonView | undefined {
  const ref = item.participants.find((p) => p.kind === "patient");
  return ref ? people.get(`patient:${ref.id}`) : undefined;
}

/** An unread count as a badge; screen readers hear "3 unread messages". */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="badge" data-testid="unread-badge">
      <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
      <span className="visually-hidden">
        {count} unread {count === 1 ? "message" : "messages"}
      </span>
    </span>
  );
}

/** Props of {@link ConversationList}. */
export interface ConversationListProps {
  readonly items: readonly ConversationSummary[];
  readonly people: ReadonlyMap<string, PersonView>;
  readonly me: PersonRef;
  readonly audience: Audience;
  readonly clinicName: string;
  readonly totalUnread: number;
  readonly activeId?: string | undefined;
}

/**
 * The conversation list (MSG-3): each with its unread badge, the total above them, and a filter
 * by name over the loaded conversations.
 */
export function ConversationList({
  items,
  people,
  me,
  audience,
  clinicName,
  totalUnread,
  activeId,
}: ConversationListProps) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const base = audience === "staff" ? "/staff/chat/$conversationId" : "/portal/chat/$conversationId";
  const rows = items.map((item) => ({ item, title: summaryTitle(item, people, me, audience, clinicName) }));
  const needle = filter.trim().toLocaleLowerCase();
  const shown = needle ? rows.filter((r) => r.title.toLocaleLowerCase().includes(needle)) : rows;
  return (
    <nav className="conversation-list" aria-labelledby={`${id}-title`}>
      <div className="conversation-list__head">
        <h2 id={`${id}-title`}>Conversations</h2>
        <p className="hint" data-testid="total-unread">
          {totalUnread > 0 ? `${totalUnread} unread` : "All read"}
        </p>
      </div>
      {items.length > 0 ? (
        <div className="field field--compact">
          <label htmlFor={`${id}-filter`} className="visually-hidden">
            Search conversations
          </label>
          <input
            id={`${id}-filter`}
            type="search"
            placeholder="Search conversations"
            value={filter}
            onChange={(event) => setFilter(event.currentTarget.value)}
          />
        </div>
      ) : null}
      {items.length === 0 ? <p className="hint conversation-list__empty">No conversations yet.</p> : null}
      {items.length > 0 && shown.length === 0 ? <p className="hint">No conversation matches.</p> : null}
      <ul className="conversation-list__items">
        {shown.map(({ item, title }) => (
          <li key={item.conversation.id}>
            <Link
              to={base}
              params={{ conversationId: item.conversation.id }}
              className={`conversation-row${item.unreadCount > 0 ? " conversation-row--unread" : ""}`}
              aria-current={item.conversation.id === activeId ? "page" : undefined}
            >
              <span className="conversation-row__title">{title}</span>
              <span className="conversation-row__meta">
                <span className="hint">
                  {item.conversation.kind === "team" ? "Team" : audience === "staff" ? "Patient" : clinicName}
                </span>
                {item.conversation.kind === "patient" && audience === "staff" ? (
                  <BirthDate dateOfBirth={patientOf(item, people)?.dateOfBirth} />
                ) : null}
                <time className="hint" dateTime={item.conversation.lastActivityAt}>
                  {formatMessageTime(item.conversation.lastActivityAt)}
                </time>
              </span>
              <UnreadBadge count={item.unreadCount} />
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
