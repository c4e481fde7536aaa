import type { Stores } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/postgres/Database";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { patientOf, seedWorld, type World } from "../contract/fixtures";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();
const inClinic = async <T>(clinicId: string, work: (s: Stores) => Promise<T>) =>
  (await pg.factory()).run(clinicId, work);

/** What the word index holds for one clinic's patients, as the superuser sees it. */
async function indexOf(owner: Kysely<Database>, clinicId: string) {
  const words = await sql<{ word: string; search_name: string; person_id: string }>`
    select word, search_name, person_id from name_words
    where clinic_id = ${clinicId} and person_kind = 'patient' order by word, search_name, person_id`.execute(
    owner,
  );
  const vocabulary = await sql<{ word: string; people: number }>`
    select word, people from name_vocabulary
    where clinic_id = ${clinicId} and person_kind = 'patient' order by word`.execute(owner);
  return {
    words: words.rows,
    vocabulary: Object.fromEntries(vocabulary.rows.map((r) => [r.word, r.people])),
  };
}

describe("the name word index (START-2)", () => {
  let world: World;
  beforeAll(async () => {
    world = await seedWorld(pg.factory);
  });

  it("follows names as people are added and renamed, and forgets words nobody uses any more", async () => {
    const { clinic } = await seedWorld(pg.factory);
    const ann = patientOf(clinic.id, "Ann Lee");
    const other = patientOf(clinic.id, "Ann-Marie Ångström");
    const run = <T>(work: (s: Stores) => Promise<T>) => inClinic(clinic.id, work);
    await run(async (s) => {
      await s.directory.savePatient(ann);
      await s.directory.savePatient(other);
    });
    let index = await indexOf(pg.database().inspect, clinic.id);
    expect(index.vocabulary).toMatchObject({ ann: 2, lee: 1, marie: 1, angstrom: 1 });
    expect(index.words.filter((w) => w.person_id === ann.id)).toEqual([
      { word: "ann", search_name: "ann lee", person_id: ann.id },
      { word: "lee", search_name: "ann lee", person_id: ann.id },
    ]);

    // Saving the same name again changes nothing; a new name moves the person's words.
    await run((s) => s.directory.savePatient({ ...ann, email: "new@mail.test" }));
    expect(await indexOf(pg.database().inspect, clinic.id)).toEqual(index);
    await run((s) => s.directory.savePatient({ ...ann, name: "Bea Lee" }));
    index = await indexOf(pg.database().inspect, clinic.id);
    expect(index.vocabulary).toMatchObject({ ann: 1, bea: 1, lee: 1 });
    expect(index.words.filter((w) => w.person_id === ann.id).map((w) => w.word)).toEqual(["bea", "lee"]);
    await run((s) => s.directory.savePatient({ ...other, name: "Cy Ångström" }));
    index = await indexOf(pg.database().inspect, clinic.id);
    expect(index.vocabulary.ann).toBeUndefined();
    expect(index.vocabulary.marie).toBeUndefined();

    expect(
      await run(async (s) => (await s.directory.searchPatients("bea", 10)).map((m) => m.person.id)),
    ).toEqual([ann.id]);
    expect(await run((s) => s.directory.searchPatients("ann", 10))).toEqual([]);
  });

  it("keeps exact counts when many people with the same words are saved at once", async () => {
    const { clinic } = await seedWorld(pg.factory);
    const names = ["Ann Lee", "Lee Ann", "Ann Bo Lee", "Bo Lee", "Lee Bo Ann"];
    const people = Array.from({ length: 40 }, (_, i) => patientOf(clinic.id, names[i % names.length]!));
    await Promise.all(people.map((p) => inClinic(clinic.id, (s) => s.directory.savePatient(p))));
    // Half of them renamed at once, into and out of the same words.
    await Promise.all(
      people
        .filter((_, i) => i % 2 === 0)
        .map((p, i) =>
          inClinic(clinic.id, (s) => s.directory.savePatient({ ...p, name: names[(i + 2) % 5]! })),
        ),
    );
    const index = await indexOf(pg.database().inspect, clinic.id);
    const counted: Record<string, number> = {};
    for (const { word } of index.words) counted[word] = (counted[word] ?? 0) + 1;
    expect(index.vocabulary).toEqual(counted);
    expect(index.words).toHaveLength(
      (
        await sql<{ n: number }>`select sum(cardinality(app_name_words(search_name)))::int as n from patients
        where clinic_id = ${clinic.id}`.execute(pg.database().inspect)
      ).rows[0]!.n,
    );
  });

  it("removes a deleted person's words (the owner's clean-ups)", async () => {
    const { clinic } = await seedWorld(pg.factory);
    const gone = patientOf(clinic.id, "Zebulon Quist");
    await inClinic(clinic.id, (s) => s.directory.savePatient(gone));
    // As the owner in the clinic's context: on a managed database RLS is forced on the owner too.
    await withClinic(pg.database().owner, clinic.id, (trx) =>
      sql`delete from patients where clinic_id = ${clinic.id} and id = ${gone.id}`.execute(trx),
    );
    const index = await indexOf(pg.database().inspect, clinic.id);
    expect(index.words.filter((w) => w.person_id === gone.id)).toEqual([]);
    expect(index.vocabulary.zebulon).toBeUndefined();
  });

  it("SEC-4: the application role reads only its clinic's words and cannot write them", async () => {
    const app = pg.database().app;
    const seen = await withClinic(app, world.clinic.id, (trx) =>
      sql<{ clinic_id: string }>`select distinct clinic_id from name_vocabulary`.execute(trx),
    );
    expect(seen.rows).toEqual([{ clinic_id: world.clinic.id }]);
    await expect(
      withClinic(app, world.clinic.id, (trx) =>
        sql`insert into name_words (clinic_id, person_kind, word, search_name, person_id)
          values (${world.otherClinic.id}, 'patient', 'x', 'x', 'x')`.execute(trx),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe("name search over the word index, against a brute-force reading of START-2", () => {
  let clinicId: string;
  const limit = 20;

  beforeAll(async () => {
    ({
      clinic: { id: clinicId },
    } = await seedWorld(pg.factory));
    // 3,600 patients, written as the application writes them (the triggers index each one). First
    // words are all distinct and start with j, in name order with k; surnames are common ones for
    // the first 1,200 and distinct y-words after, so that `j y` has many matches, none among the
    // first 1,000 names.
    const surnames = ["smith", "smyth", "jones", "johnson", "garcia", "garza", "lopez", "wood", "woods"];
    await withClinic(pg.database().app, clinicId, (trx) =>
      sql`insert into patients (clinic_id, id, name, email, mobile_phone, sms_consent, portal_account)
        select ${clinicId}, 'bulk-' || lpad(k::text, 5, '0'),
          'J' || chr(97 + k / 676 % 26) || chr(97 + k / 26 % 26) || chr(97 + k % 26) || ' ' ||
            case when k < 1200 then (${surnames}::text[])[1 + k % ${surnames.length}]
              else 'y' || chr(97 + k / 26 % 26) || chr(97 + k % 26) end,
          null, null, false, 'none'
        from generate_series(0, 3599) k`.execute(trx),
    );
  });

  /** Every patient scored one by one: per query word, the best word of the name; all must match. */
  async function bruteForce(query: string) {
    const words = query.split(" ");
    const rows = await withClinic(pg.database().app, clinicId, (trx) =>
      sql<{ id: string; score: number }>`
        with terms as (
          select q.i, app_search_name(q.w) as term, length(q.w) < 4 as short
          from unnest(${words}::text[]) with ordinality as q(w, i)
        ),
        best as (
          select p.id, p.search_name, t.i, max(case
            when w ^@ t.term then 1
            when not t.short and t.term <% w then least(word_similarity(t.term, w), 0.99)
          end)::float8 as score
          from patients p cross join terms t cross join unnest(string_to_array(p.search_name, ' ')) as w
          group by p.id, p.search_name, t.i
        )
        select id, sum(score order by i) / ${words.length} as score from best
        group by id, search_name having count(score) = ${words.length}
        order by score desc, search_name collate "C", id collate "C" limit ${limit}`.execute(trx),
    );
    return rows.rows.map((r) => [r.id, Number(r.score)]);
  }

  it.each([
    "j", // many prefix words: the first names in name order answer
    "jab", // one prefix word per name, 26 of them
    "jones", // a prefix and typo words (johnson): enough exact matches
    "smiht", // typo words only
    "jabs", // one prefix match, then typo words (jabt, jabu, ...)
    "jac garsia", // several words with typos
    "j sm", // several prefixes, common
    "j y", // several prefixes, many matches but none among the first names
    "jab woods", // a prefix and a word with typo neighbours
    "xylophone", // nothing
  ])("%s", async (query) => {
    const found = await inClinic(clinicId, async (s) =>
      (await s.directory.searchPatients(query, limit)).map((m) => [m.person.id, m.score]),
    );
    expect(found).toEqual(await bruteForce(query));
  });
});
