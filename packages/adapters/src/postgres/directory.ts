import type { Directory, DirectoryMatch, Patient, StaffMember } from "@clinic-chat/domain";
import { type Selectable, sql } from "kysely";
import type { PatientsTable, StaffTable } from "./Database";
import { bestMatches, type PersonKind, queryWords, vocabularyMatches, type WordMatch } from "./nameSearch";
import type { Statements } from "./Statements";

export function toStaff(row: Selectable<StaffTable>): StaffMember {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    availableForPatientChat: row.available_for_patient_chat,
    emailNotifications: row.email_notifications,
    ...(row.host_id !== null && { hostId: row.host_id }),
  };
}

export function toPatient(row: Selectable<PatientsTable>): Patient {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    name: row.name,
    email: row.email,
    mobilePhone: row.mobile_phone,
    smsConsent: row.sms_consent,
    portalAccount: row.portal_account,
    // Left out when unknown, as the domain's optional fields are.
    ...(row.date_of_birth !== null && { dateOfBirth: isoDate(row.date_of_birth) }),
    ...(row.host_id !== null && { hostId: row.host_id }),
    ...(row.erased_at !== null && {
      erasure: { at: row.erased_at, by: row.erased_by ?? "", reason: row.erasure_reason ?? "" },
    }),
  };
}

/** A `date` as the domain keeps it: YYYY-MM-DD (the driver hands it over as UTC midnight). */
function isoDate(value: Date | string): string {
  return typeof value === "string" ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

/** The stored columns of a patient, as {@link savePatient} and {@link savePatients} write them. */
function patientColumns(patient: Patient) {
  return {
    name: patient.name,
    email: patient.email,
    mobile_phone: patient.mobilePhone,
    sms_consent: patient.smsConsent,
    portal_account: patient.portalAccount,
    date_of_birth: patient.dateOfBirth ?? null,
    host_id: patient.hostId ?? null,
    erased_at: patient.erasure?.at ?? null,
    erased_by: patient.erasure?.by ?? null,
    erasure_reason: patient.erasure?.reason ?? null,
  };
}

/** People of the unit of work's clinic, with trigram name search (START-2). */
export function postgresDirectory(statements: Statements, clinicId: string): Directory {
  const { db } = statements;
  /**
   * START-2, in two statements: the vocabulary words matching the query words, then the best
   * people having them. The first is planned for its words (whether the trigram index pays
   * depends on how many words the clinic has; a generic plan cannot know), the second's shape is
   * fixed by its joins and keeps its cached plan.
   */
  async function searchPeople<T extends PatientsTable | StaffTable>(
    kind: PersonKind,
    query: string,
    limit: number,
  ): Promise<(Selectable<T> & { score: number })[]> {
    const words = queryWords(query);
    if (words.length === 0 || limit <= 0) return [];
    const vocabulary = vocabularyMatches(words, clinicId, kind).compile(db);
    const matches = await statements.read<WordMatch>(vocabulary.sql, vocabulary.parameters, {
      planEachTime: true,
    });
    const hits = bestMatches(matches, words.length, clinicId, kind, limit);
    if (!hits) return [];
    const table = sql.table(kind === "patient" ? "patients" : "staff");
    const rows = await sql<Selectable<T> & { score: number }>`
      select p.*, h.score from ${hits} h
      join ${table} p on p.clinic_id = ${clinicId} and p.id = h.person_id
      order by h.score desc, h.search_name, h.person_id
      limit ${limit}`.execute(db);
    return rows.rows;
  }
  const staffRows = () => db.selectFrom("staff").selectAll().where("clinic_id", "=", clinicId);
  return {
    async staffMember(id) {
      const row = await staffRows().where("id", "=", id).executeTakeFirst();
      return row ? toStaff(row) : null;
    },
    async patient(id) {
      const row = await db
        .selectFrom("patients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toPatient(row) : null;
    },
    // Read through the unit of work's statements, not kysely's own execution, which runs one query
    // of a transaction at a time: these go out with the reads issued beside them (a history
    // read's standing and page), not one round trip each after them.
    async staffMembers(ids) {
      if (ids.length === 0) return [];
      const query = staffRows()
        .where("id", "in", [...new Set(ids)])
        .compile();
      const rows = await statements.read<Selectable<StaffTable>>(query.sql, query.parameters);
      const byId = new Map(rows.map((row) => [row.id, toStaff(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async patients(ids) {
      if (ids.length === 0) return [];
      const query = db
        .selectFrom("patients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("id", "in", [...new Set(ids)])
        .compile();
      const rows = await statements.read<Selectable<PatientsTable>>(query.sql, query.parameters);
      const byId = new Map(rows.map((row) => [row.id, toPatient(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async searchPatients(query, limit) {
      const rows = await searchPeople<PatientsTable>("patient", query, limit);
      return rows.map((row): DirectoryMatch<Patient> => ({ person: toPatient(row), score: row.score }));
    },
    async searchStaff(query, limit) {
      const rows = await searchPeople<StaffTable>("staff", query, limit);
      return rows.map((row): DirectoryMatch<StaffMember> => ({ person: toStaff(row), score: row.score }));
    },
    async listPatients(page) {
      const after = decodeNameCursor(page.cursor);
      const rows = await db
        .selectFrom("patients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("erased_at", "is", null)
        .$if(after !== null, (q) =>
          q.where(
            sql<boolean>`(search_name collate "C", id) > (${after?.name ?? ""} collate "C", ${after?.id ?? ""})`,
          ),
        )
        .orderBy(sql`search_name collate "C"`)
        .orderBy("id")
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit);
      const last = items[items.length - 1];
      return {
        items: items.map(toPatient),
        nextCursor: last && rows.length > page.limit ? encodeNameCursor(last.search_name, last.id) : null,
      };
    },
    async activeStaff() {
      const rows = await staffRows().where("active", "=", true).orderBy("name").orderBy("id").execute();
      return rows.map(toStaff);
    },
    async availablePractitioners() {
      const rows = await staffRows()
        .where("active", "=", true)
        .where("role", "=", "practitioner")
        .where("available_for_patient_chat", "=", true)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(toStaff);
    },
    async saveStaff(staff) {
      const columns = {
        name: staff.name,
        email: staff.email,
        role: staff.role,
        active: staff.active,
        available_for_patient_chat: staff.availableForPatientChat,
        email_notifications: staff.emailNotifications,
        host_id: staff.hostId ?? null,
      };
      await db
        .insertInto("staff")
        .values({ clinic_id: staff.clinicId, id: staff.id, ...columns })
        .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
        .execute();
    },
    async savePatient(patient) {
      const columns = patientColumns(patient);
      await db
        .insertInto("patients")
        .values({ clinic_id: patient.clinicId, id: patient.id, ...columns })
        .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
        .execute();
    },
    async reserveHostIds() {
      // A transaction-scoped advisory lock per clinic: one key, however many host ids an import has.
      await sql`select pg_advisory_xact_lock(hashtextextended(${`patient-host-ids:${clinicId}`}, 0))`.execute(
        db,
      );
    },
    async patientsByHostIds(hostIds) {
      if (hostIds.length === 0) return [];
      const rows = await db
        .selectFrom("patients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
        .where("host_id", "=", sql<string>`any(${[...hostIds]}::text[])`)
        .execute();
      return rows.map(toPatient);
    },
    async savePatients(patients) {
      // One statement per slice: PostgreSQL takes at most 65,535 parameters, and a patient has 9.
      for (let start = 0; start < patients.length; start += 5000) {
        const slice = patients.slice(start, start + 5000);
        await db
          .insertInto("patients")
          .values(slice.map((p) => ({ clinic_id: p.clinicId, id: p.id, ...patientColumns(p) })))
          .onConflict((oc) =>
            oc.columns(["clinic_id", "id"]).doUpdateSet((eb) => ({
              name: eb.ref("excluded.name"),
              email: eb.ref("excluded.email"),
              mobile_phone: eb.ref("excluded.mobile_phone"),
              sms_consent: eb.ref("excluded.sms_consent"),
              portal_account: eb.ref("excluded.portal_account"),
              date_of_birth: eb.ref("excluded.date_of_birth"),
              host_id: eb.ref("excluded.host_id"),
            })),
          )
          .execute();
      }
    },
    async erasePatient(tombstone) {
      const person = { kind: "patient", id: tombstone.id };
      // Sign-in first (its rows name the patient), then the patient's own row becomes the tombstone.
      await sql`delete from auth_sessions
        where clinic_id = ${clinicId} and person_kind = ${person.kind} and person_id = ${person.id}`.execute(
        db,
      );
      await sql`delete from password_resets
        where clinic_id = ${clinicId} and person_kind = ${person.kind} and person_id = ${person.id}`.execute(
        db,
      );
      await sql`delete from auth_credentials
        where clinic_id = ${clinicId} and person_kind = ${person.kind} and person_id = ${person.id}`.execute(
        db,
      );
      await sql`delete from portal_invitations where clinic_id = ${clinicId} and patient_id = ${person.id}`.execute(
        db,
      );
      await sql`delete from appointments where clinic_id = ${clinicId} and patient_id = ${person.id}`.execute(
        db,
      );
      await db
        .updateTable("patients")
        .set(patientColumns(tombstone))
        .where("clinic_id", "=", clinicId)
        .where("id", "=", tombstone.id)
        .execute();
    },
    async setAvailability(staffId, available) {
      await db
        .updateTable("staff")
        .set({ available_for_patient_chat: available })
        .where("clinic_id", "=", clinicId)
        .where("id", "=", staffId)
        .execute();
    },
  };
}

/** The patient list's cursor: the last row's sort key, opaque to callers (it holds a normalised name, so it never goes in a URL). */
function encodeNameCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString("base64url");
}

function decodeNameCursor(cursor: string | null | undefined): { name: string; id: string } | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "string" && typeof value[1] === "string")
      return { name: value[0], id: value[1] };
  } catch {
    // A cursor we did not make starts from the beginning, like none.
  }
  return null;
}
