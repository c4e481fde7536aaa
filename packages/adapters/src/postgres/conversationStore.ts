import {
  type Conversation,
  type ConversationAccessFacts,
  type ConversationStore,
  type ConversationSummary,
  DomainError,
  type LockedState,
  type Participant,
  type ParticipantFacts,
  type PersonRef,
  type PostAccessFacts,
  parsePersonKey,
  personKey,
} from "@clinic-chat/domain";
import { CompiledQuery, type Kysely, type Selectable, sql } from "kysely";
import { columnsOf } from "./arrayParameters";
import { toClinic } from "./clinicStore";
import { issueQuery } from "./connectPostgres";
import type {
  ClinicsTable,
  ConversationParticipantsTable,
  ConversationsTable,
  Database,
  MessagesTable,
  NotificationStatesTable,
  PatientsTable,
  PersonKind,
  StaffTable,
} from "./Database";
import { toPatient, toStaff } from "./directory";
import { toMessage } from "./messageStore";
import { toState } from "./notificationStore";
import { personOf } from "./people";

/**
 * The access facts of one person for one conversation in one statement (one row, always): the
 * clinic, the person (staff or patient by kind), the conversation, its participants with their
 * directory rows in the order of `participants()`, and its patient. Rows without timestamps come
 * as jsonb.
 */
const accessFactsOf = (kind: string, id: string) => `
    (select to_jsonb(k) from clinics k where k.id = $1) as clinic,
    case when ${kind}::text = 'staff'
      then (select to_jsonb(s) from staff s where s.clinic_id = $1 and s.id = ${id}) end as staff,
    case when ${kind}::text = 'patient'
      then (select to_jsonb(a) from patients a where a.clinic_id = $1 and a.id = ${id}) end as person_patient,
    c.clinic_id, c.id, c.kind, c.patient_id, c.key, c.created_at, c.last_activity_at, c.last_seq,
    (select jsonb_agg(jsonb_build_object('kind', p.person_kind, 'id', p.person_id,
              'staff', to_jsonb(ps), 'patient', to_jsonb(pp)) order by p.added_at, p.person_kind, p.person_id)
       from conversation_participants p
       left join staff ps on p.person_kind = 'staff' and ps.clinic_id = p.clinic_id and ps.id = p.person_id
       left join patients pp on p.person_kind = 'patient' and pp.clinic_id = p.clinic_id and pp.id = p.person_id
      where p.clinic_id = c.clinic_id and p.conversation_id = c.id) as participants,
    (select to_jsonb(cp) from patients cp where cp.clinic_id = c.clinic_id and cp.id = c.patient_id) as patient`;
const accessFactsColumns = `${accessFactsOf("$2", "$3")}
  from (select) as one`;
const accessFactsSql = `select${accessFactsColumns}
  left join conversations c on c.clinic_id = $1 and c.id = $4`;

/**
 * {@link accessFactsSql} for a post: the conversation locked first (FOR NO KEY UPDATE: concurrent
 * posts queue here until this unit of work ends, as an UPDATE of it would; a reader of its key is
 * not held up), and the transaction id taken in the same statement, before any event id of the
 * unit of work is drawn. The row comes as it is now, after any wait; what the other tables say is
 * read in this statement's snapshot, taken before a wait: see {@link lockedForPostSql}.
 */
const accessForPostSql = `with c as (
    select clinic_id, id, kind, patient_id, key, created_at, last_activity_at, last_seq
      from conversations where clinic_id = $1 and id = $4 for no key update
  )
  select pg_current_xact_id()::text as xid,${accessFactsColumns}
  left join c on true`;

/**
 * The second statement of {@link accessForPostSql}, issued with it (one round trip) and run
 * after it, so in a snapshot taken once the conversation's lock is held: everything committed by
 * an earlier holder is seen, and `members` lists who takes part now.
 *
 * Locks, in the one order every path takes (conversation → participants → states, as `markRead`
 * locks its own row, then its own state, and a file message's post too, so a send and a read
 * marker cannot deadlock): `members` locks every participant's row (the post updates their
 * activity times); the states' insert sorts its input, so it reads all of `members` (and so locks
 * every participant) before it locks its first state.
 *
 * It answers the message the person sent with the client id, if any (MSG-1: an overlapping retry
 * finds the first one's message here), every participant, and the notification states of the
 * other participants of the kinds asked for, only when the person is a participant: each row
 * inserted idle if missing, locked, and read back as it is now (an upsert's update waits for a
 * concurrent one and sees its commit), in lock order (by "kind:id", as `lockStates` callers sort).
 */
const lockedForPostSql = `with members as (
    select person_kind, person_id from conversation_participants
     where clinic_id = $1 and conversation_id = $2
     order by person_kind, person_id
     for no key update
  ), w as (
    select p.person_kind as kind, p.person_id as id from members p
     where (p.person_kind <> $3 or p.person_id <> $4) and p.person_kind = any($6::text[])
       and exists (select from members me where me.person_kind = $3 and me.person_id = $4)
  ), locked as (
    insert into notification_states (clinic_id, person_kind, person_id, status)
    select $1, w.kind, w.id, 'idle' from w
     order by (w.kind || ':' || w.id) collate "C"
    on conflict (clinic_id, person_kind, person_id) do update set status = notification_states.status
    returning person_kind, person_id, status, burst_id, due_at
  )
  select m.*, (select jsonb_agg(to_jsonb(l)) from locked l) as states,
         (select jsonb_agg(jsonb_build_object('person_kind', p.person_kind, 'person_id', p.person_id))
            from members p) as members
    from (select) as one
    left join messages m on m.clinic_id = $1 and m.conversation_id = $2
      and m.sender_kind = $3 and m.sender_id = $4 and m.client_id = $5`;

/**
 * {@link accessForPostSql} for several posts, one per conversation: $1 the clinic, then aligned
 * arrays of conversation ids ($2), person kinds ($3) and person ids ($4). Every conversation is
 * locked first, in id order (so batches lock in one order among themselves, and a single post
 * locks one conversation only); then the facts of each post, with its position (`i`, from 1).
 *
 * Rows are found one conversation at a time (a lateral index lookup per id), never by `= any(…)`,
 * which a plan may read through a bitmap scan: unlike a plain index scan, that never marks the
 * index entries of dead row versions as dead, and every post leaves dead versions of these rows.
 */
const accessForPostsSql = `with c as (
    select k.* from (select unnest($2::text[]) as id order by 1) as ids
     cross join lateral (
       select clinic_id, id, kind, patient_id, key, created_at, last_activity_at, last_seq
         from conversations where clinic_id = $1 and id = ids.id
          for no key update
     ) as k
  ), q as (
    select * from unnest($2::text[], $3::text[], $4::text[]) with ordinality as q(conversation_id, person_kind, person_id, i)
  )
  select q.i, pg_current_xact_id()::text as xid,${accessFactsOf("q.person_kind", "q.person_id")}
  from q left join c on c.id = q.conversation_id
  order by q.i`;

/**
 * {@link lockedForPostSql} for the posts of {@link accessForPostsSql}, issued with it: $1 the
 * clinic, then aligned arrays of conversation ids ($2), person kinds ($3) and ids ($4), client ids
 * ($5) and the kinds whose states to lock, comma-separated ($6). The same locks in the same order,
 * over every conversation of the batch: all their participants (by conversation, kind, id), then
 * every state asked for by any post (by "kind:id"), each once. Each post's row, by position,
 * brings its message sent before, its own states and its conversation's members.
 *
 * It is planned for its own arguments each time (an unnamed statement), never from a cached
 * generic plan: a generic plan is made once, from the statistics of the moment, and one made
 * while a new clinic's tables were small read them whole; as every post leaves dead row versions
 * behind, each batch then read more than the one before (measured: 6, 55, then 115 ms per batch
 * of ten in three bench runs). Planning costs about 0.8 ms per batch.
 */
const lockedForPostsSql = `with q as (
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
  )
  select q.i, m.*,
         (select jsonb_agg(to_jsonb(l)) from locked l
           where exists (select from w where w.i = q.i and w.kind = l.person_kind and w.id = l.person_id)) as states,
         (select jsonb_agg(jsonb_build_object('person_kind', p.person_kind, 'person_id', p.person_id))
            from members p where p.conversation_id = q.conversation_id) as members
    from q
    left join lateral (
      select * from messages m where m.clinic_id = $1 and m.conversation_id = q.conversation_id
         and m.sender_kind = q.person_kind and m.sender_id = q.person_id and m.client_id = q.client_id
    ) m on true
   order by q.i`;

type LockedForPostRow = {
  [K in keyof Selectable<MessagesTable>]: Selectable<MessagesTable>[K] | null;
} & {
  states:
    | (Omit<Selectable<NotificationStatesTable>, "clinic_id" | "due_at"> & { due_at: string | null })[]
    | null;
  members: { person_kind: PersonKind; person_id: string }[] | null;
};

type AccessFactsRow = {
  [K in keyof Selectable<ConversationsTable>]: Selectable<ConversationsTable>[K] | null;
} & {
  clinic: Selectable<ClinicsTable> | null;
  staff: Selectable<StaffTable> | null;
  person_patient: Selectable<PatientsTable> | null;
  participants:
    | {
        kind: PersonKind;
        id: string;
        staff: Selectable<StaffTable> | null;
        patient: Selectable<PatientsTable> | null;
      }[]
    | null;
  patient: Selectable<PatientsTable> | null;
};

/**
 * A post's facts from its two rows (see {@link lockedForPostSql}): when its members name someone
 * the facts' snapshot predates (they joined while the post waited for the conversation's lock),
 * the facts are read again with `factsQuery`, under the lock, so they are notified too.
 */
async function postAccess(
  db: Kysely<Database>,
  clinicId: string,
  facts: ConversationAccessFacts,
  row: LockedForPostRow | undefined,
  factsQuery: CompiledQuery,
): Promise<PostAccessFacts> {
  let access = facts;
  const known = new Set(access.participants.map((p) => personKey(p.ref)));
  if (
    access.conversation &&
    (row?.members ?? []).some((m) => !known.has(personKey(personOf(m.person_kind, m.person_id))))
  ) {
    access = toAccessFacts((await issueQuery<AccessFactsRow>(db, factsQuery)).rows[0]);
  }
  const states = (row?.states ?? [])
    .map(
      (state): LockedState => ({
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
    sentBefore: access.conversation && row?.id ? toMessage(row as Selectable<MessagesTable>) : null,
    recipientStates: access.conversation ? states : [],
  };
}

function toConversation(row: Selectable<ConversationsTable>): Conversation {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    kind: row.kind,
    patientId: row.patient_id,
    key: row.key,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    lastSeq: row.last_seq,
  };
}

function toParticipant(row: Selectable<ConversationParticipantsTable>): Participant {
  return {
    conversationId: row.conversation_id,
    person: personOf(row.person_kind, row.person_id),
    addedAt: row.added_at,
    readUpToSeq: row.read_up_to_seq,
  };
}

/** The list cursor: the last row's activity time (ms) and id, the keys of the list's order. */
function parseCursor(cursor: string): { at: Date; id: string } | null {
  const bar = cursor.indexOf("|");
  const at = new Date(Number(cursor.slice(0, bar)));
  return bar > 0 && !Number.isNaN(at.getTime()) ? { at, id: cursor.slice(bar + 1) } : null;
}

function toAccessFacts(row: AccessFactsRow | undefined): ConversationAccessFacts {
  const conversation = row?.id ? toConversation(row as Selectable<ConversationsTable>) : null;
  return {
    clinic: row?.clinic ? toClinic(row.clinic) : null,
    person: row?.staff
      ? { kind: "staff", staff: toStaff(row.staff) }
      : row?.person_patient
        ? { kind: "patient", patient: toPatient(row.person_patient) }
        : null,
    conversation,
    participants: conversation
      ? (row?.participants ?? []).map(
          (p): ParticipantFacts => ({
            ref: personOf(p.kind, p.id),
            person: p.staff
              ? { kind: "staff", staff: toStaff(p.staff) }
              : p.patient
                ? { kind: "patient", patient: toPatient(p.patient) }
                : null,
          }),
        )
      : [],
    patient: conversation && row?.patient ? toPatient(row.patient) : null,
  };
}

/** A row of a person's conversation list: the conversation, the person's read marker, unread count and members. */
type ListedRow = Selectable<Database["conversations"]> & {
  read_up_to_seq: number;
  unread: number;
  members: string[];
};

/**
 * A person's conversation list, newest activity first (a fixed statement: the list is the most
 * frequent read, and compiling it with kysely each time cost more than the rest of the adapter's
 * work). $1 clinic, $2/$3 the person, $4 page size + 1, then ($5, $6) the cursor. The unread count
 * (MSG-3) counts messages by others, not deleted, above the read marker, and is skipped when
 * nothing is after the marker.
 */
const listSql = (cursor: string) => `select c.*, p.read_up_to_seq,
  case when c.last_seq > p.read_up_to_seq then (
    select count(*)::int from messages m
     where m.clinic_id = p.clinic_id and m.conversation_id = p.conversation_id
       and m.seq > p.read_up_to_seq and m.body_kind <> 'deleted'
       and (m.sender_kind, m.sender_id) <> ($2, $3)
  ) else 0 end as unread,
  (select array_agg(pp.person_kind || ':' || pp.person_id order by pp.added_at, pp.person_kind, pp.person_id)
     from conversation_participants pp
    where pp.clinic_id = p.clinic_id and pp.conversation_id = p.conversation_id) as members
from conversation_participants p
join conversations c on c.clinic_id = p.clinic_id and c.id = p.conversation_id
where p.clinic_id = $1 and p.person_kind = $2 and p.person_id = $3${cursor}
order by p.last_activity_at desc, p.conversation_id desc
limit $4`;
const listFirstSql = listSql("");
const listAfterSql = listSql(
  `\n  and (p.last_activity_at, p.conversation_id) < ($5::timestamptz, $6::text collate "C")`,
);

/** Conversations, participants and read markers of the unit of work's clinic. */
export function postgresConversationStore(db: Kysely<Database>, clinicId: string): ConversationStore {
  const conversations = () => db.selectFrom("conversations").selectAll().where("clinic_id", "=", clinicId);
  const participantRows = (conversationId: string) =>
    db
      .selectFrom("conversation_participants")
      .selectAll()
      .where("clinic_id", "=", clinicId)
      .where("conversation_id", "=", conversationId);

  /**
   * Unread messages of one membership (MSG-3): by others, not deleted, above the read marker.
   * Conversations with nothing after the marker skip the count altogether.
   */
  const unreadOf = (person: PersonRef) => sql<number>`case when c.last_seq > p.read_up_to_seq then (
      select count(*)::int from messages m
      where m.clinic_id = p.clinic_id and m.conversation_id = p.conversation_id
        and m.seq > p.read_up_to_seq and m.body_kind <> 'deleted'
        and (m.sender_kind, m.sender_id) <> (${person.kind}, ${person.id})
    ) else 0 end`;

  const memberships = (person: PersonRef) =>
    db
      .selectFrom("conversation_participants as p")
      .innerJoin("conversations as c", (join) =>
        join.onRef("c.clinic_id", "=", "p.clinic_id").onRef("c.id", "=", "p.conversation_id"),
      )
      .where("p.clinic_id", "=", clinicId)
      .where("p.person_kind", "=", person.kind)
      .where("p.person_id", "=", person.id);

  return {
    async get(conversationId) {
      const row = await conversations().where("id", "=", conversationId).executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    async accessFacts(conversationId, person) {
      // Issued, not executed: concurrent calls of a unit of work (readHistories) share a round trip.
      const { rows } = await issueQuery<AccessFactsRow>(
        db,
        CompiledQuery.raw(accessFactsSql, [clinicId, person.kind, person.id, conversationId]),
      );
      return toAccessFacts(rows[0]);
    },
    async accessForPost(conversationId, person, query) {
      // Issued together: one round trip, run in order (the second after the first has the lock).
      const factsQuery = CompiledQuery.raw(accessForPostSql, [
        clinicId,
        person.kind,
        person.id,
        conversationId,
      ]);
      const [facts, locked] = await Promise.all([
        issueQuery<AccessFactsRow>(db, factsQuery),
        issueQuery<LockedForPostRow>(
          db,
          CompiledQuery.raw(lockedForPostSql, [
            clinicId,
            conversationId,
            person.kind,
            person.id,
            query.clientId,
            [...query.lockStatesOf],
          ]),
        ),
      ]);
      return postAccess(db, clinicId, toAccessFacts(facts.rows[0]), locked.rows[0], factsQuery);
    },
    async accessForPosts(requests) {
      if (requests.length === 0) return [];
      if (new Set(requests.map((r) => r.conversationId)).size !== requests.length) {
        throw new Error("two posts into one conversation in one batch");
      }
      const [ids, kinds, people, clientIds, stateKinds] = columnsOf(
        requests.map((r) => [
          r.conversationId,
          r.person.kind,
          r.person.id,
          r.clientId,
          r.lockStatesOf.join(","),
        ]),
      );
      // Issued together: one round trip, run in order (the second after the first has the locks).
      const [facts, locked] = await Promise.all([
        issueQuery<AccessFactsRow & { i: string }>(
          db,
          CompiledQuery.raw(accessForPostsSql, [clinicId, ids, kinds, people]),
        ),
        issueQuery<LockedForPostRow & { i: string }>(
          db,
          // Planned for its own arrays each time: see lockedForPostsSql.
          CompiledQuery.raw(lockedForPostsSql, [clinicId, ids, kinds, people, clientIds, stateKinds]),
          { planEachTime: true },
        ),
      ]);
      const factsAt = new Map(facts.rows.map((row) => [Number(row.i), row]));
      const lockedAt = new Map(locked.rows.map((row) => [Number(row.i), row]));
      return Promise.all(
        requests.map((r, index) =>
          postAccess(
            db,
            clinicId,
            toAccessFacts(factsAt.get(index + 1)),
            lockedAt.get(index + 1),
            // Read again only when someone joined while the batch waited (the conversation is locked already).
            CompiledQuery.raw(accessForPostSql, [clinicId, r.person.kind, r.person.id, r.conversationId]),
          ),
        ),
      );
    },
    async findByKey(key) {
      const row = await conversations().where("key", "=", key).executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    async claimKey(key) {
      // Two people starting the same chat at once: the second waits here, then opens the first's.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`${clinicId}|conversation|${key}`}, 0))`.execute(
        db,
      );
      const row = await conversations().where("key", "=", key).executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    async create(conversation, participants) {
      await db
        .insertInto("conversations")
        .values({
          clinic_id: conversation.clinicId,
          id: conversation.id,
          kind: conversation.kind,
          patient_id: conversation.patientId,
          key: conversation.key,
          created_at: conversation.createdAt,
          last_activity_at: conversation.lastActivityAt,
          last_seq: conversation.lastSeq,
        })
        .execute();
      if (participants.length === 0) return;
      await db
        .insertInto("conversation_participants")
        .values(
          participants.map((person) => ({
            clinic_id: conversation.clinicId,
            conversation_id: conversation.id,
            person_kind: person.kind,
            person_id: person.id,
            added_at: conversation.createdAt,
            last_activity_at: conversation.lastActivityAt,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
    async participants(conversationId) {
      const rows = await participantRows(conversationId)
        .orderBy("added_at")
        .orderBy("person_kind")
        .orderBy("person_id")
        .execute();
      return rows.map(toParticipant);
    },
    async participant(conversationId, person) {
      const row = await participantRows(conversationId)
        .where("person_kind", "=", person.kind)
        .where("person_id", "=", person.id)
        .executeTakeFirst();
      return row ? toParticipant(row) : null;
    },
    async addParticipant(conversationId, person, at) {
      await db
        .insertInto("conversation_participants")
        .columns(["clinic_id", "conversation_id", "person_kind", "person_id", "added_at", "last_activity_at"])
        .expression(
          conversations()
            .clearSelect()
            .select([
              "clinic_id",
              "id",
              sql.val(person.kind).as("person_kind"),
              sql.val(person.id).as("person_id"),
              sql.val(at).as("added_at"),
              "last_activity_at",
            ])
            .where("id", "=", conversationId),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
    async nextSeq(conversationId, at) {
      // One statement: the row lock on the conversation serialises concurrent sends, and the
      // members' copies of the activity time move with it (they order each person's list).
      const row = await db
        .with("bumped", (q) =>
          q
            .updateTable("conversations")
            .set((eb) => ({
              last_seq: eb("last_seq", "+", 1),
              last_activity_at: sql<Date>`greatest(last_activity_at, ${at})`,
            }))
            .where("clinic_id", "=", clinicId)
            .where("id", "=", conversationId)
            .returning(["clinic_id", "id", "last_seq", "last_activity_at"]),
        )
        .with("members", (q) =>
          q
            .updateTable("conversation_participants as p")
            .from("bumped as b")
            .set((eb) => ({ last_activity_at: eb.ref("b.last_activity_at") }))
            .whereRef("p.clinic_id", "=", "b.clinic_id")
            .whereRef("p.conversation_id", "=", "b.id")
            .returning("p.person_id"),
        )
        .selectFrom("bumped")
        .select("last_seq")
        .executeTakeFirst();
      if (!row) throw new DomainError("NOT_FOUND");
      return row.last_seq;
    },
    async markRead(conversationId, person, seq) {
      const row = await db
        .updateTable("conversation_participants")
        .set({ read_up_to_seq: sql<number>`greatest(read_up_to_seq, ${seq}::int)` })
        .where("clinic_id", "=", clinicId)
        .where("conversation_id", "=", conversationId)
        .where("person_kind", "=", person.kind)
        .where("person_id", "=", person.id)
        .returning("read_up_to_seq")
        .executeTakeFirst();
      return row?.read_up_to_seq ?? 0;
    },
    async listFor(person, query) {
      const after = query.cursor ? parseCursor(query.cursor) : null;
      if ((query.cursor && !after) || query.limit <= 0) return { items: [], nextCursor: null };
      const parameters: unknown[] = [clinicId, person.kind, person.id, query.limit + 1];
      if (after) parameters.push(after.at, after.id);
      const { rows } = await db.executeQuery<ListedRow>(
        CompiledQuery.raw(after ? listAfterSql : listFirstSql, parameters),
      );
      const items = rows.slice(0, query.limit).map(
        (row): ConversationSummary => ({
          conversation: toConversation(row),
          participants: row.members.flatMap((key) => parsePersonKey(key) ?? []),
          unreadCount: row.unread,
          readUpToSeq: row.read_up_to_seq,
        }),
      );
      const last = items[items.length - 1];
      const nextCursor =
        last && rows.length > query.limit
          ? `${last.conversation.lastActivityAt.getTime()}|${last.conversation.id}`
          : null;
      return { items, nextCursor };
    },
    async totalUnread(person) {
      const row = await memberships(person)
        .select(sql<number>`coalesce(sum(${unreadOf(person)}), 0)::int`.as("total"))
        .whereRef("c.last_seq", ">", "p.read_up_to_seq")
        .executeTakeFirst();
      return row?.total ?? 0;
    },
  };
}
