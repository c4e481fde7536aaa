import type { Conversation, ConversationAccessFacts, ParticipantFacts } from "@clinic-chat/domain";
import type { Selectable } from "kysely";
import { toClinic } from "./clinicStore";
import type { ClinicsTable, ConversationsTable, PatientsTable, PersonKind, StaffTable } from "./Database";
import { toPatient, toStaff } from "./directory";
import { personOf } from "./people";

/**
 * The access facts of one person for one conversation in one statement (one row, always): the
 * clinic, the person (staff or patient by kind), the conversation, its participants with their
 * directory rows in the order of `participants()` (each looked up by its key: a join would let a
 * plan made while the clinic's directory was small read all of it for every post), and its
 * patient. Rows without timestamps come as json: they only pass through to the process, and json
 * is built as the text it is sent as, where jsonb is built as a tree and turned into that text
 * afterwards.
 */
export const accessFactsOf = (kind: string, id: string) => `
    (select to_json(k) from clinics k where k.id = $1) as clinic,
    case when ${kind}::text = 'staff'
      then (select to_json(s) from staff s where s.clinic_id = $1 and s.id = ${id}) end as staff,
    case when ${kind}::text = 'patient'
      then (select to_json(a) from patients a where a.clinic_id = $1 and a.id = ${id}) end as person_patient,
    c.clinic_id, c.id, c.kind, c.patient_id, c.key, c.created_at, c.last_activity_at, c.last_seq, c.name,
    c.inbox_status, c.assignee_id, c.last_sender_kind, c.last_auto_reply_at,
    (select json_agg(json_build_object('kind', p.person_kind, 'id', p.person_id,
              'staff', case when p.person_kind = 'staff' then
                (select to_json(ps) from staff ps where ps.clinic_id = p.clinic_id and ps.id = p.person_id) end,
              'patient', case when p.person_kind = 'patient' then
                (select to_json(pp) from patients pp where pp.clinic_id = p.clinic_id and pp.id = p.person_id) end)
              order by p.added_at, p.person_kind, p.person_id)
       from conversation_participants p
      where p.clinic_id = c.clinic_id and p.conversation_id = c.id) as participants,
    (select to_json(cp) from patients cp where cp.clinic_id = c.clinic_id and cp.id = c.patient_id) as patient`;

/** REC-7: until when the person ($2 kind, $3 id) holds their latest emergency grant on `c`. */
const emergencyUntil = `case when $2::text = 'staff' then (select max(e.expires_at) from emergency_access e
      where e.clinic_id = $1 and e.conversation_id = c.id and e.admin_id = $3) end as emergency_until`;
// A read also asks for the emergency grant (a post does not).
const accessFactsColumns = `${accessFactsOf("$2", "$3")},
    ${emergencyUntil}
  from (select) as one`;
export const accessFactsSql = `select${accessFactsColumns}
  left join conversations c on c.clinic_id = $1 and c.id = $4`;

/** A standing's columns: the conversation `c`, whether the person ($2, $3) takes part, their grant. */
const standingColumns = `c.*,
    exists (select from conversation_participants p where p.clinic_id = $1 and p.conversation_id = c.id
      and p.person_kind = $2 and p.person_id = $3) as participating,
    ${emergencyUntil}`;

/**
 * One person's standing in many conversations (search's hits): each conversation that exists, in
 * the order asked, whether the person takes part (a probe of the participants' key) and their
 * latest emergency grant on it. Unknown ids leave no row. Planned once (`planOnce`): custom plans,
 * which see how short the array is, look cheaper than the generic one (the planner guesses ten
 * ids), index lookups all the same, so PostgreSQL would plan it again at every call.
 */
export const standingsSql = `select ${standingColumns}
  from unnest($4::text[]) with ordinality as q(id, i)
  join conversations c on c.clinic_id = $1 and c.id = q.id
  order by q.i`;

/**
 * {@link standingsSql} for one conversation ($4), which is what a history read and every live
 * delivery ask: without an array, the generic plan costs what the custom ones do, and PostgreSQL
 * keeps it after its first comparisons instead of planning every read.
 */
export const standingSql = `select ${standingColumns}
  from conversations c where c.clinic_id = $1 and c.id = $4`;

export type StandingRow = Selectable<ConversationsTable> & {
  participating: boolean;
  emergency_until: Date | null;
};

export type AccessFactsRow = {
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
  /** Only in a read's facts (REC-7). */
  emergency_until?: Date | null;
};

export function toConversation(row: Selectable<ConversationsTable>): Conversation {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    kind: row.kind,
    patientId: row.patient_id,
    key: row.key,
    createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    lastSeq: row.last_seq,
    name: row.name ?? null,
  };
}

export function toAccessFacts(row: AccessFactsRow | undefined): ConversationAccessFacts {
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
    ...(row?.emergency_until ? { emergencyUntil: row.emergency_until } : {}),
  };
}
