import type postgres from "postgres";

const firstNames = (
  "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan " +
  "Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra " +
  "Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy " +
  "George Melissa Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen " +
  "Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon " +
  "Helen Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet"
).split(" ");
const lastNames = (
  "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez " +
  "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis " +
  "Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell " +
  "Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales " +
  "Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson " +
  "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long " +
  "Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher " +
  "Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes " +
  "Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez " +
  "McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson " +
  "Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson " +
  "Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver " +
  "Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley"
).split(" ");

const literal = (names: string[]) => `array[${names.map((n) => `'${n}'`).join(",")}]`;
const name = (a: string, b: string) =>
  `(${literal(firstNames)})[1 + (${a}) % ${firstNames.length}] || ' ' || (${literal(lastNames)})[1 + (${b}) % ${lastNames.length}]`;

/** The big clinic's id: 100,000 patients, 200 staff, 20,000 conversations. */
export const bigClinic = "c0000";
/** Its busiest staff member: in every tenth conversation of the big clinic, about 2,000 of them. */
export const busyStaff = "c0000-s000";

const clinicId = "'c' || lpad(c::text, 4, '0')";
const staffCount = "case when c = 0 then 200 else 5 end";
const conversationCount = "case when c = 0 then 20000 else 10 end";

/**
 * Seeds 1,000 clinics, one with 100,000 patients and 200 staff, and 1,000,000 messages, with
 * set-based SQL as the owner. Foreign-key triggers are off while seeding (replica role): the data
 * is consistent by construction.
 *
 * The inbox (INBOX-1) as a working clinic leaves it: six conversations in ten closed, two assigned
 * (the busy staff member holds a tenth of theirs), two unassigned; the big clinic's conversations
 * end on a patient's or a staff member's message in turn (28, 29, 30 or 29 messages), so about
 * half of the open ones await a reply.
 */
export async function seed(sql: postgres.Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe("set local session_replication_role = replica");
    await tx.unsafe(`
      insert into clinics (id, name, plan, patient_chat_enabled, patient_file_sharing_enabled,
        patient_messaging_enabled, team_chat_enabled, sms_notifications_enabled, idle_timeout_minutes,
        notification_delay_seconds)
      select ${clinicId}, 'Clinic ' || c, 'premium', true, true, true, true, false, 15, 120
      from generate_series(0, 999) c`);
    await tx.unsafe(`
      insert into staff (clinic_id, id, name, email, role, active, available_for_patient_chat, email_notifications)
      select ${clinicId}, ${clinicId} || '-s' || lpad(j::text, 3, '0'), ${name("j * 7 + c", "j * 13 + c * 3")},
        'staff' || j || '@clinic' || c || '.test', case when j % 3 = 0 then 'practitioner' else 'staff' end, true, true, true
      from generate_series(0, 999) c, generate_series(0, ${staffCount} - 1) j`);
    await tx.unsafe(`
      insert into patients (clinic_id, id, name, email, mobile_phone, sms_consent, portal_account)
      select ${clinicId}, ${clinicId} || '-p' || lpad(k::text, 6, '0'), ${name("k * 31 + c", "k * 7919 / 97 + c")},
        'patient' || k || '@mail.test', null, false, 'active'
      from generate_series(0, 999) c, generate_series(0, case when c = 0 then 99999 else 19 end) k`);
    await tx.unsafe(`
      insert into conversations (clinic_id, id, kind, patient_id, key, created_at, last_activity_at, last_seq,
        inbox_status, assignee_id, last_sender_kind)
      select ${clinicId}, ${clinicId} || '-v' || lpad(k::text, 6, '0'), 'patient',
        ${clinicId} || '-p' || lpad(k::text, 6, '0'), 'patient:' || ${clinicId} || '-p' || lpad(k::text, 6, '0'),
        start, start + n * interval '1 minute', n,
        case when u < 6 then 'closed' else 'open' end,
        case when u = 6 and k % 10 = 0 then ${clinicId} || '-s000'
          when u in (6, 7) then ${clinicId} || '-s' || lpad((k % ${staffCount})::text, 3, '0') end,
        case when n % 2 = 0 then 'patient' else 'staff' end
      from generate_series(0, 999) c, generate_series(0, ${conversationCount} - 1) k,
        lateral (select case when c = 0 and k < 10 then 2069 when c = 0 then 30 - abs(k / 100 % 4 - 2) else 40 end as n,
          timestamptz '2025-01-01' + ((k * 7919 + c * 13) % 200000) * interval '1 minute' as start,
          (k / 10 + k) % 10 as u) s`);
    await tx.unsafe(`
      insert into conversation_participants (clinic_id, conversation_id, person_kind, person_id, added_at,
        read_up_to_seq, last_activity_at, inbox_status, inbox_assignee_id, inbox_last_sender_kind, inbox_stale)
      select v.clinic_id, v.id, p.kind, p.person, v.created_at, greatest(v.last_seq - p.behind, 0), v.last_activity_at,
        v.inbox_status, v.assignee_id, v.last_sender_kind, false
      from conversations v,
        lateral (select substr(v.id, 1, 5) as c, substr(v.id, 8)::int as k,
          case when v.clinic_id = '${bigClinic}' then 200 else 5 end as staff) x,
        lateral (values
          ('patient', v.patient_id, x.k % 3),
          ('staff', x.c || '-s' || lpad((x.k % x.staff)::text, 3, '0'), x.k % 5),
          ('staff', case when x.k % 10 = 0 then x.c || '-s000' end, x.k % 7),
          ('staff', case when x.k % 3 = 0 then x.c || '-s' || lpad(((x.k + 1) % x.staff)::text, 3, '0') end, 0)
        ) as p(kind, person, behind)
      where p.person is not null
      on conflict do nothing`);
    await tx.unsafe(`
      insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id, sent_at,
        body_kind, text)
      select v.clinic_id, v.id || '-m' || s, v.id, s, 'client-' || s,
        case when s % 2 = 0 then 'patient' else 'staff' end,
        case when s % 2 = 0 then v.patient_id else substr(v.id, 1, 5) || '-s' ||
          lpad((substr(v.id, 8)::int % case when v.clinic_id = '${bigClinic}' then 200 else 5 end)::text, 3, '0') end,
        v.created_at + s * interval '1 minute', 'text',
        'Message ' || s || ': a question about the next appointment and the lab results, of ordinary length.'
      from conversations v, generate_series(1, v.last_seq) s`);
  });
  // The name word index (migration 0004) is kept by triggers, which the replica role skipped (as it
  // skipped the one copying the inbox state onto the memberships, 0038: the copy is written above).
  await sql.begin(async (tx) => {
    await tx.unsafe(`
      insert into name_words (clinic_id, person_kind, word, search_name, person_id)
      select clinic_id, 'patient', w, search_name, id from patients, unnest(app_name_words(search_name)) w
      union all
      select clinic_id, 'staff', w, search_name, id from staff, unnest(app_name_words(search_name)) w`);
    await tx.unsafe(`
      insert into name_vocabulary (clinic_id, person_kind, word, people)
      select clinic_id, person_kind, word, count(*) from name_words group by clinic_id, person_kind, word`);
  });
  // Fresh statistics and a visibility map, as autovacuum would leave them on a live system.
  await sql.unsafe("vacuum analyze");
}
