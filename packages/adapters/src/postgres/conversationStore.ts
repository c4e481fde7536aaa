import {
  type ConversationStore,
  type ConversationSummary,
  type Participant,
  type PersonRef,
  parsePersonKey,
} from "@clinic-chat/domain";
import { CompiledQuery, type Selectable, sql } from "kysely";
import type { RecordKeys } from "../keys/recordKeys";
import { activityCursor, parseActivityCursor } from "./activityCursor";
import {
  type AccessFactsRow,
  accessFactsSql,
  type StandingRow,
  standingSql,
  standingsSql,
  toAccessFacts,
  toConversation,
} from "./conversationFacts";
import type { ConversationParticipantsTable, Database } from "./Database";
import { openPatientConversations } from "./patientConversations";
import { personOf } from "./people";
import { reserveForPosting } from "./postingFacts";
import type { Statements } from "./Statements";

function toParticipant(row: Selectable<ConversationParticipantsTable>): Participant {
  return {
    conversationId: row.conversation_id,
    person: personOf(row.person_kind, row.person_id),
    addedAt: row.added_at,
    readUpToSeq: row.read_up_to_seq,
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
 * frequent read, and compiling it with kysely each time costs more than the rest of the adapter's
 * work). Quiet memberships stay out (BCAST-1). $1 clinic, $2/$3 the person, $4 page size + 1, then ($5, $6) the cursor. The unread count
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
where p.clinic_id = $1 and p.person_kind = $2 and p.person_id = $3 and c.last_seq > 0 and not p.quiet${cursor}
order by p.last_activity_at desc, p.conversation_id desc
limit $4`;
const listFirstSql = listSql("");
const listAfterSql = listSql(
  `\n  and (p.last_activity_at, p.conversation_id) < ($5::timestamptz, $6::text collate "C")`,
);

/** Conversations, participants and read markers of the unit of work's clinic. */
export function postgresConversationStore(
  statements: Statements,
  clinicId: string,
  keys?: RecordKeys,
): ConversationStore {
  const { db } = statements;
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
      // A read: concurrent calls of a unit of work (readHistories) share a round trip.
      const rows = await statements.read<AccessFactsRow>(accessFactsSql, [
        clinicId,
        person.kind,
        person.id,
        conversationId,
      ]);
      return toAccessFacts(rows[0]);
    },
    async standingsIn(conversationIds, person) {
      if (conversationIds.length === 0) return [];
      const rows =
        conversationIds.length === 1
          ? await statements.read<StandingRow>(standingSql, [
              clinicId,
              person.kind,
              person.id,
              conversationIds[0],
            ])
          : await statements.read<StandingRow>(
              standingsSql,
              [clinicId, person.kind, person.id, conversationIds],
              { planOnce: true },
            );
      return rows.map((row) => ({
        conversation: toConversation(row),
        participating: row.participating,
        emergencyUntil: row.emergency_until,
      }));
    },
    reserveForPosting: (requests) => reserveForPosting(statements, clinicId, requests, keys),
    async claimKey(key) {
      // Two people starting the same chat at once: the second waits here, then opens the first's.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`${clinicId}|conversation|${key}`}, 0))`.execute(
        db,
      );
      const row = await conversations().where("key", "=", key).executeTakeFirst();
      return row ? toConversation(row) : null;
    },
    openPatientConversations: (openings) => openPatientConversations(statements, clinicId, openings),
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
    async rename(conversationId, name) {
      await db
        .updateTable("conversations")
        .set({ name })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", conversationId)
        .execute();
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
      const after = query.cursor ? parseActivityCursor(query.cursor) : null;
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
          ? activityCursor(last.conversation.lastActivityAt, last.conversation.id)
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
