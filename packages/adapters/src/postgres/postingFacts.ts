import type { PostingFacts, PostingRequest, RecipientState } from "@clinic-chat/domain";
import { personKey } from "@clinic-chat/domain";
import type { Selectable } from "kysely";
import type { ClinicSeal, RecordKeys } from "../keys/recordKeys";
import { columnsOf } from "./arrayParameters";
import { type AccessFactsRow, accessFactsOf, toAccessFacts } from "./conversationFacts";
import type { ConversationsTable, NotificationStatesTable, PersonKind } from "./Database";
import { toInboxState } from "./inboxViews";
import { type KeyedMessageRow, sealOf, toMessage } from "./messageStore";
import { toState } from "./notificationStore";
import { personOf } from "./people";
import type { Statements } from "./Statements";

/**
 * The access facts of posts, one per conversation, each conversation reserved for posting: $1 the
 * clinic, then aligned arrays of conversation ids ($2), person kinds ($3) and person ids ($4).
 * Every conversation is locked first (FOR NO KEY UPDATE: concurrent posts queue here until this
 * unit of work ends, as an UPDATE of it would; a reader of its key is not held up), in id order,
 * so units of work lock in one order among themselves; then the facts of each post, with its
 * position (`i`, from 1). A conversation's row comes as it is now, after any wait; what the other
 * tables say is read in this statement's snapshot, taken before a wait: see {@link reservedSql}.
 *
 * Rows are found one conversation at a time (a lateral index lookup per id), never by `= any(…)`,
 * which a plan may read through a bitmap scan: unlike a plain index scan, that never marks the
 * index entries of dead row versions as dead, and every post leaves dead versions of these rows.
 */
const reserveSql = `with c as (
    select k.* from (select unnest($2::text[]) as id order by 1) as ids
     cross join lateral (
       select clinic_id, id, kind, patient_id, key, created_at, last_activity_at, last_seq, name,
              inbox_status, assignee_id, last_sender_kind, last_auto_reply_at
         from conversations where clinic_id = $1 and id = ids.id
          for no key update
     ) as k
  ), q as (
    select * from unnest($2::text[], $3::text[], $4::text[]) with ordinality as q(conversation_id, person_kind, person_id, i)
  )
  select q.i,${accessFactsOf("q.person_kind", "q.person_id")}
  from q left join c on c.id = q.conversation_id
  order by q.i`;

/**
 * The second statement of {@link reserveSql}, issued with it (one round trip) and run after it,
 * so in a snapshot taken once the conversations' locks are held: everything committed by an
 * earlier holder is seen, and `members` lists who takes part now. $1 the clinic, then aligned
 * arrays of conversation ids ($2), person kinds ($3) and ids ($4), client ids ($5) and the kinds
 * whose states to lock, comma-separated ($6).
 *
 * Locks, in the one order every path takes (conversation → participants → states, as `markRead`
 * locks its own row, then its own state, so a send and a read marker cannot deadlock): `members`
 * locks every participant's row of every conversation (the post updates their activity times),
 * by conversation, kind and id; the states' insert sorts its input, so it reads all of `members`
 * before it locks its first state, each once, by "kind:id".
 *
 * Each post's row, by position, brings the message the person sent with the client id, if any
 * (MSG-1: an overlapping retry finds the first one's message here; `limit 1`, which the unique key
 * makes true anyway, keeps it a lookup by the whole key for each post, where the plan made once
 * would join every message of the clinic and filter them), the conversation's members,
 * and, only when the person is a participant, the notification states of the other participants
 * of the kinds asked for: each row inserted idle if missing, locked, and read back as it is now
 * (an upsert's update waits for a concurrent one and sees its commit). The states and the members
 * are grouped once each, by post and by conversation, and joined to the posts: as subqueries per
 * post they would read every locked state and every member again for each post.
 *
 * Both statements are planned once per connection, through indexes only (`planOnce`): a plan
 * left to the statistics of the moment reads a clinic's tables whole while they are small, and as
 * every post leaves dead row versions behind, each post would then read more than the one before.
 */
const reservedSql = `with q as (
    select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
      with ordinality as q(conversation_id, person_kind, person_id, client_id, state_kinds, i)
  ), members as (
    select p.* from (select unnest($2::text[]) as id order by 1) as ids
     cross join lateral (
       select conversation_id, person_kind, person_id from conversation_participants
        where clinic_id = $1 and conversation_id = ids.id
        order by person_kind, person_id
          for no key update
     ) as p
  ), w as (
    select q.i, p.person_kind as kind, p.person_id as id
      from q join members p on p.conversation_id = q.conversation_id
     where (p.person_kind <> q.person_kind or p.person_id <> q.person_id)
       and p.person_kind = any(string_to_array(q.state_kinds, ','))
       and exists (select from members me where me.conversation_id = q.conversation_id
                      and me.person_kind = q.person_kind and me.person_id = q.person_id)
  ), locked as (
    insert into notification_states (clinic_id, person_kind, person_id, status)
    select $1, d.kind, d.id, 'idle' from (select distinct kind, id from w) d
     order by (d.kind || ':' || d.id) collate "C"
    on conflict (clinic_id, person_kind, person_id) do update set status = notification_states.status
    returning person_kind, person_id, status, burst_id, due_at
  ), states as (
    select w.i, json_agg(to_json(l)) as states
      from w join locked l on l.person_kind = w.kind and l.person_id = w.id
     group by w.i
  ), rosters as (
    select p.conversation_id,
           json_agg(json_build_object('person_kind', p.person_kind, 'person_id', p.person_id)) as members
      from members p
     group by p.conversation_id
  )
  select q.i, m.*, s.states, r.members
    from q
    left join states s on s.i = q.i
    left join rosters r on r.conversation_id = q.conversation_id
    left join lateral (
      select m.*, (select k.wrapped from message_keys k where k.clinic_id = $1 and k.message_id = m.id) as data_key
        from messages m where m.clinic_id = $1 and m.conversation_id = q.conversation_id
         and m.sender_kind = q.person_kind and m.sender_id = q.person_id and m.client_id = q.client_id
       limit 1
    ) m on true
   order by q.i`;

type ReservedRow = {
  [K in keyof KeyedMessageRow]-?: KeyedMessageRow[K] | null;
} & {
  states:
    | (Omit<Selectable<NotificationStatesTable>, "clinic_id" | "due_at"> & { due_at: string | null })[]
    | null;
  members: { person_kind: PersonKind; person_id: string }[] | null;
};

/**
 * {@link ConversationStore.reserveForPosting}: two statements issued together (one round trip,
 * run in order: the second once the first holds the locks).
 */
export async function reserveForPosting(
  statements: Statements,
  clinicId: string,
  requests: readonly PostingRequest[],
  keys?: RecordKeys,
): Promise<PostingFacts[]> {
  if (requests.length === 0) return [];
  if (new Set(requests.map((r) => r.conversationId)).size !== requests.length) {
    throw new Error("two posts into one conversation in one reservation");
  }
  const [ids, kinds, people, clientIds, stateKinds] = columnsOf(
    requests.map((r) => [
      r.conversationId,
      r.person.kind,
      r.person.id,
      r.clientId,
      r.recipientsToNotify.join(","),
    ]),
  );
  const [facts, reserved, seal] = await Promise.all([
    statements.read<AccessFactsRow & { i: string }>(reserveSql, [clinicId, ids, kinds, people], {
      planOnce: true,
    }),
    statements.read<ReservedRow & { i: string }>(
      reservedSql,
      [clinicId, ids, kinds, people, clientIds, stateKinds],
      { planOnce: true },
    ),
    sealOf(keys, clinicId, statements.db),
  ]);
  const factsAt = new Map(facts.map((row) => [Number(row.i), row]));
  const reservedAt = new Map(reserved.map((row) => [Number(row.i), row]));
  return Promise.all(
    requests.map((request, index) =>
      postingFacts(statements, request, clinicId, factsAt.get(index + 1), reservedAt.get(index + 1), seal),
    ),
  );
}

/**
 * A post's facts from its two rows (see {@link reservedSql}): when its members name someone the
 * facts' snapshot predates (they joined while the post waited for the conversation's lock), the
 * facts are read again, under the lock, so they are notified too.
 */
async function postingFacts(
  statements: Statements,
  request: PostingRequest,
  clinicId: string,
  factsRow: AccessFactsRow | undefined,
  row: ReservedRow | undefined,
  seal: ClinicSeal | null,
): Promise<PostingFacts> {
  let facts = factsRow;
  let access = toAccessFacts(facts);
  const known = new Set(access.participants.map((p) => personKey(p.ref)));
  if (
    access.conversation &&
    (row?.members ?? []).some((m) => !known.has(personKey(personOf(m.person_kind, m.person_id))))
  ) {
    const again = await statements.read<AccessFactsRow>(reserveSql, [
      clinicId,
      [request.conversationId],
      [request.person.kind],
      [request.person.id],
    ]);
    facts = again[0];
    access = toAccessFacts(facts);
  }
  const states = (row?.states ?? [])
    .map(
      (state): RecipientState => ({
        person: personOf(state.person_kind, state.person_id),
        state: toState({
          ...state,
          clinic_id: clinicId,
          due_at: state.due_at === null ? null : new Date(state.due_at),
        }),
      }),
    )
    .sort((a, b) => (personKey(a.person) < personKey(b.person) ? -1 : 1));
  return {
    ...access,
    sentBefore: access.conversation && row?.id ? toMessage(row as KeyedMessageRow, seal) : null,
    recipientStates: access.conversation ? states : [],
    inbox: access.conversation && facts ? toInboxState(facts as Selectable<ConversationsTable>) : null,
  };
}
