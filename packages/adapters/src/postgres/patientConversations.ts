import { type OpenedConversation, type PatientConversationOpening, samePerson } from "@clinic-chat/domain";
import type { Selectable } from "kysely";
import { columnsOf } from "./arrayParameters";
import { toConversation } from "./conversationFacts";
import type { ConversationsTable, PersonKind } from "./Database";
import { personOf } from "./people";
import type { Statements } from "./Statements";

/**
 * Claims the START-1 keys of the openings ($2) of clinic $1, in one order (C collation) so that
 * two units of work opening overlapping sets take them in turn and never deadlock; the same
 * claim `claimKey` makes for one key.
 */
const claimKeysSql = `select count(pg_advisory_xact_lock(hashtextextended($1 || '|conversation|' || s.k, 0)))::int as claimed
  from (select u.k from unnest($2::text[]) as u(k) order by u.k collate "C") as s`;

/**
 * Issued with {@link claimKeysSql} and run after it, so in a snapshot taken once every key is
 * claimed: a conversation another unit of work created while this one waited is seen and opened,
 * never created twice. $1 the clinic, then aligned arrays of the openings' keys ($2), new ids ($3),
 * patients ($4), creation times ($5); and aligned arrays of the people, by the position of their
 * opening (from 1, $6), kind ($7) and id ($8).
 *
 * Existing conversations are found one key at a time (a lateral index lookup per key); the
 * missing ones are created as given; then every person of every opening is inserted as a
 * participant unless already one, at the opening's time, with the conversation's activity time
 * (the list reads memberships in that order), quiet when the opening says so ($9); a quiet member
 * opening it not quietly is quiet no more. A member already there is neither inserted again (an
 * insert of its key would wait for a post that holds it) nor locked nor written (but for that), so
 * opening never waits for a post's memberships nor holds one before its conversation: posts lock
 * the conversation first, then its memberships. Rows inserted by the
 * statement's CTEs are checked against their foreign keys at its end, so a participant of a
 * conversation created here passes.
 */
const openSql = `with o as (
    select * from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[])
      with ordinality as o(key, new_id, patient_id, at, i)
  ), existing as (
    select o.i as pos, c.* from o cross join lateral (
      select * from conversations where clinic_id = $1 and key = o.key
    ) as c
  ), created as (
    insert into conversations (clinic_id, id, kind, patient_id, key, created_at, last_activity_at, last_seq)
    select $1, o.new_id, 'patient', o.patient_id, o.key, o.at, o.at, 0
      from o where not exists (select from existing e where e.pos = o.i)
    returning *
  ), opened as (
    select e.*, false as created from existing e
    union all
    select o.i, c.*, true from created c join o on o.new_id = c.id
  ), people as (
    select * from unnest($6::int[], $7::text[], $8::text[], $9::text[]) as p(i, kind, id, quiet)
  ), joined as (
    insert into conversation_participants
           (clinic_id, conversation_id, person_kind, person_id, added_at, last_activity_at, quiet)
    select $1, c.id, p.kind, p.id, o.at, c.last_activity_at, p.quiet::boolean
      from people p
      join opened c on c.pos = p.i
      join o on o.i = p.i
     where not exists (
       select from conversation_participants m
        where m.clinic_id = $1 and m.conversation_id = c.id and m.person_kind = p.kind and m.person_id = p.id
     )
    on conflict do nothing
    returning conversation_id, person_kind, person_id
  ), heard as (
    update conversation_participants cp set quiet = false
      from people p join opened c on c.pos = p.i
     where not c.created and not p.quiet::boolean and cp.quiet
       and cp.clinic_id = $1 and cp.conversation_id = c.id and cp.person_kind = p.kind and cp.person_id = p.id
  )
  select x.*,
         (select jsonb_agg(jsonb_build_object('person_kind', j.person_kind, 'person_id', j.person_id))
            from joined j where j.conversation_id = x.id) as joined
    from opened x
   order by x.pos`;

type OpenedRow = Selectable<ConversationsTable> & {
  pos: string;
  created: boolean;
  joined: { person_kind: PersonKind; person_id: string }[] | null;
};

/** {@link ConversationStore.openPatientConversations}: two statements issued together, one answer. */
export async function openPatientConversations(
  statements: Statements,
  clinicId: string,
  openings: readonly PatientConversationOpening[],
): Promise<OpenedConversation[]> {
  if (openings.length === 0) return [];
  const keys = openings.map((o) => o.conversation.key);
  if (new Set(keys).size !== keys.length) throw new Error("two openings of one conversation");
  if (openings.some((o) => o.conversation.kind !== "patient" || o.conversation.clinicId !== clinicId))
    throw new Error("only patient conversations of the unit of work's clinic");
  const [, newIds, patients, times] = columnsOf(
    openings.map((o) => [
      o.conversation.key,
      o.conversation.id,
      o.conversation.patientId,
      o.conversation.createdAt,
    ]),
  );
  const people = openings.flatMap((o, i) =>
    o.people.map((p) => [i + 1, p.kind, p.id, String((o.quietly ?? []).some((q) => samePerson(q, p)))]),
  );
  const [positions, kinds, ids, quiet] = people.length > 0 ? columnsOf(people) : [[], [], [], []];
  const [, rows] = await Promise.all([
    statements.read(claimKeysSql, [clinicId, keys]),
    statements.read<OpenedRow>(openSql, [
      clinicId,
      keys,
      newIds,
      patients,
      times,
      positions,
      kinds,
      ids,
      quiet,
    ]),
  ]);
  return rows.map((row) => ({
    conversation: toConversation(row),
    created: row.created,
    joined: row.created ? [] : (row.joined ?? []).map((j) => personOf(j.person_kind, j.person_id)),
  }));
}
