import type { Directory, DirectoryMatch, Patient, StaffMember } from "@clinic-chat/domain";
import { type Kysely, type RawBuilder, type Selectable, sql } from "kysely";
import type { Database, PatientsTable, StaffTable } from "./Database";

function toStaff(row: Selectable<StaffTable>): StaffMember {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    availableForPatientChat: row.available_for_patient_chat,
    emailNotifications: row.email_notifications,
  };
}

function toPatient(row: Selectable<PatientsTable>): Patient {
  return {
    id: row.id,
    clinicId: row.clinic_id,
    name: row.name,
    email: row.email,
    mobilePhone: row.mobile_phone,
    smsConsent: row.sms_consent,
    portalAccount: row.portal_account,
  };
}

/** The words of a query, as the in-memory directory splits them; at most five are used. */
function queryWords(query: string): string[] {
  return query
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 5);
}

/** How one name search reads, as SQL fragments over a table with `search_name`. */
interface NameSearch {
  readonly score: RawBuilder<number>;
  readonly where: RawBuilder<boolean>;
  /** Only short words: every match scores 1 and the list is in name order, from an index. */
  readonly byName: boolean;
}

/**
 * START-2: every word of the query must match a word of the name. A word of four letters or
 * more may match with a small typo: `term <% search_name` is pg_trgm's word similarity above the
 * threshold the unit of work sets, answered from the GIN trigram index (a word prefix always
 * passes: it shares all but its last trigram with the word). Shorter words leave too little for
 * a typo, so they must start a name word. A word that starts a name word scores 1, any other its
 * similarity; the name's score is the mean over the query's words. Null when there is nothing to
 * search.
 */
function nameSearch(query: string): NameSearch | null {
  const words = queryWords(query);
  if (words.length === 0) return null;
  const terms = words.map((word) => {
    const term = sql<string>`app_search_name(${word})`;
    const startsAWord = sql<boolean>`strpos(' ' || search_name, ' ' || ${term}) > 0`;
    return word.length < 4
      ? { short: true, score: sql<number>`1`, where: startsAWord }
      : {
          short: false,
          score: sql<number>`case when ${startsAWord} then 1 else word_similarity(${term}, search_name) end`,
          where: sql<boolean>`${term} <% search_name`,
        };
  });
  return {
    byName: terms.every((t) => t.short),
    score: sql<number>`(${sql.join(
      terms.map((t) => t.score),
      sql` + `,
    )}) / ${sql.lit(terms.length)}`,
    where: sql<boolean>`${sql.join(
      terms.map((t) => t.where),
      sql` and `,
    )}`,
  };
}

/** People of the unit of work's clinic, with trigram name search (START-2). */
export function postgresDirectory(db: Kysely<Database>, clinicId: string): Directory {
  // A prepared search's generic plan cannot know how selective the words are and may score every
  // patient of the clinic; planning each search for its own words keeps it on the trigram index.
  const planForTheseWords = () =>
    sql`select set_config('plan_cache_mode', 'force_custom_plan', true)`.execute(db);
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
    async staffMembers(ids) {
      if (ids.length === 0) return [];
      const rows = await staffRows()
        .where("id", "in", [...new Set(ids)])
        .execute();
      const byId = new Map(rows.map((row) => [row.id, toStaff(row)]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async searchPatients(query, limit) {
      const search = nameSearch(query);
      if (!search || limit <= 0) return [];
      await planForTheseWords();
      const rows = await db
        .selectFrom("patients")
        .selectAll()
        .select(search.score.as("score"))
        .where("clinic_id", "=", clinicId)
        .where(search.where)
        .$if(!search.byName, (q) => q.orderBy("score", "desc"))
        .orderBy(sql`search_name collate "C"`)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(
        (row): DirectoryMatch<Patient> => ({ person: toPatient(row), score: Number(row.score) }),
      );
    },
    async searchStaff(query, limit) {
      const search = nameSearch(query);
      if (!search || limit <= 0) return [];
      await planForTheseWords();
      const rows = await staffRows()
        .select(search.score.as("score"))
        .where(search.where)
        .$if(!search.byName, (q) => q.orderBy("score", "desc"))
        .orderBy(sql`search_name collate "C"`)
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(
        (row): DirectoryMatch<StaffMember> => ({ person: toStaff(row), score: Number(row.score) }),
      );
    },
    async listPatients(page) {
      const after = decodeNameCursor(page.cursor);
      const rows = await db
        .selectFrom("patients")
        .selectAll()
        .where("clinic_id", "=", clinicId)
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
      };
      await db
        .insertInto("staff")
        .values({ clinic_id: staff.clinicId, id: staff.id, ...columns })
        .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
        .execute();
    },
    async savePatient(patient) {
      const columns = {
        name: patient.name,
        email: patient.email,
        mobile_phone: patient.mobilePhone,
        sms_consent: patient.smsConsent,
        portal_account: patient.portalAccount,
      };
      await db
        .insertInto("patients")
        .values({ clinic_id: patient.clinicId, id: patient.id, ...columns })
        .onConflict((oc) => oc.columns(["clinic_id", "id"]).doUpdateSet(columns))
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
