import { parsePersonKey } from "@clinic-chat/domain";
import {
  type InboxCounts,
  type InboxRow,
  type InboxState,
  type InboxStore,
  type InboxView,
  inboxViews,
  previewLength,
} from "@clinic-chat/domain/inbox";
import type { Selectable } from "kysely";
import type { ClinicSeal, RecordKeys } from "../keys/recordKeys";
import { activityCursor, parseActivityCursor } from "./activityCursor";
import { toConversation } from "./conversationFacts";
import type { ConversationsTable, MessagesTable } from "./Database";
import { type KeyedMessageRow, sealOf, toBody } from "./messageStore";
import { personOf } from "./people";
import type { Statements } from "./Statements";

/** The inbox state kept on a patient conversation's row; null for Team Chat. */
export function toInboxState(row: Selectable<ConversationsTable>): InboxState | null {
  if (row.kind !== "patient") return null;
  return {
    conversationId: row.id,
    status: row.inbox_status,
    assigneeId: row.assignee_id,
    lastSenderKind: row.last_sender_kind,
    lastAutoReplyAt: row.last_auto_reply_at === null ? null : new Date(row.last_auto_reply_at),
  };
}

/** Each view's condition on an inbox state's columns (INBOX-1); $2 is the staff member. */
const stateCondition = (status: string, assignee: string, lastSender: string): Record<InboxView, string> => ({
  unassigned: `${status} = 'open' and ${assignee} is null`,
  mine: `${status} = 'open' and ${assignee} = $2`,
  open: `${status} = 'open'`,
  awaiting: `${status} = 'open' and ${lastSender} = 'patient'`,
  closed: `${status} = 'closed'`,
});
const onMembership = stateCondition("i.inbox_status", "i.inbox_assignee_id", "i.inbox_last_sender_kind");
const onConversation = stateCondition("c.inbox_status", "c.assignee_id", "c.last_sender_kind");

/**
 * Each view's condition on a membership `i`: on the copy of its conversation's inbox state it
 * carries (migration 0038), or, while the copy is stale, on the conversation itself, looked up by
 * its key (a scalar subquery: an EXISTS may be planned as a hash of every conversation).
 */
const viewCondition = Object.fromEntries(
  inboxViews.map((view) => [
    view,
    `case when i.inbox_stale then coalesce((
      select ${onConversation[view]} from conversations c
       where c.clinic_id = i.clinic_id and c.id = i.conversation_id and c.kind = 'patient' and c.last_seq > 0
    ), false) else ${onMembership[view]} end`,
  ]),
) as Record<InboxView, string>;

/**
 * The staff member's entries in their inbox: memberships of patient conversations written in
 * (START-3), not quiet (BCAST-1), and those whose copy is stale. Matches the partial index
 * `participants_inbox`, which holds what the views and counts ask, so both read the index alone
 * but for stale entries. $1 clinic, $2 staff id.
 */
const inboxEntries = `conversation_participants i
  where i.clinic_id = $1 and i.person_kind = 'staff' and i.person_id = $2
    and not i.quiet and (i.inbox_status is not null or i.inbox_stale)`;

/**
 * A page of a view (fixed statements, one per view and cursor): the staff member's inbox entries
 * of the view, newest activity first, in index order. $1 clinic, $2 staff id, $3 page size + 1,
 * then ($4, $5) the cursor. The page is chosen from the index first; then each of its rows brings
 * its conversation, its members with the staff member's read marker (one pass over the
 * conversation's memberships, which holds theirs), its unread count (MSG-3) and its last message,
 * the text cut to the preview's length.
 *
 * The statements run from a cached generic plan, which knows neither the clinic nor the page
 * size; each lookup is therefore written so that only one key can serve it. The last message is
 * the newest at or below the conversation's last seq, kept only if it is that seq: an equality on
 * seq ties, in a generic plan, with the (clinic, conversation, sender, client id) key, which then
 * walks every message of the conversation.
 */
const listSql = (view: InboxView, cursor: boolean) => `select c.*, m.read_up_to_seq, m.marked_unread,
  case when c.last_seq > m.read_up_to_seq then (
    select count(*)::int from messages u
     where u.clinic_id = $1 and u.conversation_id = c.id
       and u.seq > m.read_up_to_seq and u.body_kind <> 'deleted'
       and (u.sender_kind, u.sender_id) <> ('staff', $2)
  ) else 0 end as unread,
  m.members,
  lm.id as lm_id, lm.seq as lm_seq, lm.sender_kind as lm_sender_kind, lm.sender_id as lm_sender_id,
  lm.sent_at as lm_sent_at, lm.body_kind as lm_body_kind, lm.text as lm_text,
  (select k.wrapped from message_keys k where k.clinic_id = $1 and k.message_id = lm.id) as lm_data_key,
  lm.file_id as lm_file_id, lm.deleted_at as lm_deleted_at, lm.deleted_by_kind as lm_deleted_by_kind,
  lm.deleted_by_id as lm_deleted_by_id
from (
  select i.conversation_id, i.last_activity_at
  from ${inboxEntries} and ${viewCondition[view]}${
    cursor
      ? `\n    and (i.last_activity_at, i.conversation_id) < ($4::timestamptz, $5::text collate "C")`
      : ""
  }
  order by i.last_activity_at desc, i.conversation_id desc
  limit $3
) page
cross join lateral (
  select array_agg(pp.person_kind || ':' || pp.person_id order by pp.added_at, pp.person_kind, pp.person_id) as members,
    min(pp.read_up_to_seq) filter (where pp.person_kind = 'staff' and pp.person_id = $2) as read_up_to_seq,
    bool_or(pp.marked_unread) filter (where pp.person_kind = 'staff' and pp.person_id = $2) as marked_unread
  from conversation_participants pp
  where pp.clinic_id = $1 and pp.conversation_id = page.conversation_id
) m
join conversations c on c.clinic_id = $1 and c.id = page.conversation_id
left join lateral (
  select * from messages lm
   where lm.clinic_id = $1 and lm.conversation_id = c.id and lm.seq <= c.last_seq
   order by lm.seq desc
   limit 1
) lm on lm.seq = c.last_seq
order by page.last_activity_at desc, page.conversation_id desc`;

const listStatements = Object.fromEntries(
  inboxViews.map((view) => [view, { first: listSql(view, false), after: listSql(view, true) }]),
) as Record<InboxView, { first: string; after: string }>;

/** Every view's count for one staff member in one pass over their inbox entries (INBOX-1). */
const countsSql = `select
  count(*) filter (where ${viewCondition.unassigned})::int as unassigned,
  count(*) filter (where ${viewCondition.mine})::int as mine,
  count(*) filter (where ${viewCondition.open})::int as open,
  count(*) filter (where ${viewCondition.awaiting})::int as awaiting,
  count(*) filter (where ${viewCondition.closed})::int as closed
from ${inboxEntries}`;

type ListedRow = Selectable<ConversationsTable> & {
  read_up_to_seq: number;
  marked_unread: boolean;
  unread: number;
  members: string[];
  lm_data_key: Uint8Array | null;
} & { [K in keyof Selectable<MessagesTable> as `lm_${K & string}`]: Selectable<MessagesTable>[K] | null };

/**
 * The page's last message, its text cut to the preview's length once opened (sealed text cannot
 * be cut in the statement).
 */
function lastMessageOf(row: ListedRow, seal: ClinicSeal | null): InboxRow["lastMessage"] {
  if (row.lm_id === null || row.lm_seq === null || row.lm_sender_kind === null || row.lm_sender_id === null) {
    return null;
  }
  const message = {
    id: row.lm_id,
    body_kind: row.lm_body_kind,
    text: row.lm_text,
    file_id: row.lm_file_id,
    deleted_at: row.lm_deleted_at,
    deleted_by_kind: row.lm_deleted_by_kind,
    deleted_by_id: row.lm_deleted_by_id,
    sent_at: row.lm_sent_at,
    sender_kind: row.lm_sender_kind,
    sender_id: row.lm_sender_id,
    data_key: row.lm_data_key,
  } as KeyedMessageRow;
  const body = toBody(message, seal);
  return {
    seq: row.lm_seq,
    sender: personOf(row.lm_sender_kind, row.lm_sender_id),
    sentAt: row.lm_sent_at ?? row.last_activity_at,
    body:
      body.kind === "text"
        ? { kind: "text", text: Array.from(body.text).slice(0, previewLength).join("") }
        : body,
  };
}

/** The views of the inbox of the unit of work's clinic: a view's pages and every view's count (INBOX-1). */
export function postgresInboxViews(
  statements: Statements,
  clinicId: string,
  keys?: RecordKeys,
): Pick<InboxStore, "list" | "counts"> {
  const { db } = statements;
  return {
    async list(staffId, query) {
      const after = query.cursor ? parseActivityCursor(query.cursor) : null;
      if ((query.cursor && !after) || query.limit <= 0) return { items: [], nextCursor: null };
      const sql = after ? listStatements[query.view].after : listStatements[query.view].first;
      const parameters: unknown[] = [clinicId, staffId, query.limit + 1];
      if (after) parameters.push(after.at, after.id);
      const [rows, seal] = await Promise.all([
        statements.read<ListedRow>(sql, parameters),
        sealOf(keys, clinicId, db),
      ]);
      const items = rows.slice(0, query.limit).map(
        (row): InboxRow => ({
          conversation: toConversation(row),
          inbox: toInboxState(row)!,
          participants: row.members.flatMap((key) => parsePersonKey(key) ?? []),
          unreadCount: row.unread,
          markedUnread: row.marked_unread,
          lastMessage: lastMessageOf(row, seal),
        }),
      );
      const last = items[items.length - 1];
      const nextCursor =
        last && rows.length > query.limit
          ? activityCursor(last.conversation.lastActivityAt, last.conversation.id)
          : null;
      return { items, nextCursor };
    },
    async counts(staffId) {
      const [row] = await statements.read<InboxCounts>(countsSql, [clinicId, staffId]);
      return row ?? { unassigned: 0, mine: 0, open: 0, awaiting: 0, closed: 0 };
    },
  };
}
