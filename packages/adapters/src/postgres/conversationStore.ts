import {
  type Conversation,
  type ConversationStore,
  type ConversationSummary,
  DomainError,
  type Participant,
  type ParticipantFacts,
  type PersonRef,
  parsePersonKey,
} from "@clinic-chat/domain";
import { CompiledQuery, type Kysely, type Selectable, sql } from "kysely";
import { toClinic } from "./clinicStore";
import type {
  ClinicsTable,
  ConversationParticipantsTable,
  ConversationsTable,
  Database,
  PatientsTable,
  PersonKind,
  StaffTable,
} from "./Database";
import { toPatient, toStaff } from "./directory";
import { personOf } from "./people";

/**
 * The access facts of one person for one conversation in one statement (one row, always): the
 * clinic, the person (staff or patient by kind), the conversation, its participants with their
 * directory rows in the order of `participants()`, and its patient. Rows without timestamps come
 * as jsonb.
 */
const accessFactsSql = `select
    (select to_jsonb(k) from clinics k where k.id = $1) as clinic,
    case when $2::text = 'staff'
      then (select to_jsonb(s) from staff s where s.clinic_id = $1 and s.id = $3) end as staff,
    case when $2::text = 'patient'
      then (select to_jsonb(a) from patients a where a.clinic_id = $1 and a.id = $3) end as person_patient,
    c.clinic_id, c.id, c.kind, c.patient_id, c.key, c.created_at, c.last_activity_at, c.last_seq,
    (select jsonb_agg(jsonb_build_object('kind', p.person_kind, 'id', p.person_id,
              'staff', to_jsonb(ps), 'patient', to_jsonb(pp)) order by p.added_at, p.person_kind, p.person_id)
       from conversation_participants p
       left join staff ps on p.person_kind = 'staff' and ps.clinic_id = p.clinic_id and ps.id = p.person_id
       left join patients pp on p.person_kind = 'patient' and pp.clinic_id = p.clinic_id and pp.id = p.person_id
      where p.clinic_id = c.clinic_id and p.conversation_id = c.id) as participants,
    (select to_jsonb(cp) from patients cp where cp.clinic_id = c.clinic_id and cp.id = c.patient_id) as patient
  from (select) as one
  left join conversations c on c.clinic_id = $1 and c.id = $4`;

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
      const { rows } = await db.executeQuery<AccessFactsRow>(
        CompiledQuery.raw(accessFactsSql, [clinicId, person.kind, person.id, conversationId]),
      );
      const row = rows[0];
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
      let page = memberships(person)
        .selectAll("c")
        .select([
          "p.read_up_to_seq",
          unreadOf(person).as("unread"),
          sql<string[]>`(
            select array_agg(pp.person_kind || ':' || pp.person_id
              order by pp.added_at, pp.person_kind, pp.person_id)
            from conversation_participants pp
            where pp.clinic_id = p.clinic_id and pp.conversation_id = p.conversation_id
          )`.as("members"),
        ])
        .orderBy("p.last_activity_at", "desc")
        .orderBy("p.conversation_id", "desc")
        .limit(query.limit + 1);
      if (after) {
        page = page.where(
          sql<boolean>`(p.last_activity_at, p.conversation_id) < (${after.at}::timestamptz, ${after.id}::text collate "C")`,
        );
      }
      const rows = await page.execute();
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
