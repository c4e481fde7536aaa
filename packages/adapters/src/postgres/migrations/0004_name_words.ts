import { type Kysely, sql } from "kysely";

// START-2 at scale. Trigram matching on whole names makes a typo query like `jonh` score every
// name sharing a couple of trigrams with it: thousands of rows at 100,000 patients. Names are
// made of far fewer distinct words than there are people, so the search first matches the query
// words against the clinic's vocabulary of name words (small: prefix range or trigram index),
// then reads the people with those words from a word index kept in name order, a page at a time.
//
// Both tables are derived from patients and staff by triggers, which run as whoever writes the
// person, under the same RLS as every tenant table (SEC-4): a writer can only index its own
// clinic's people. The application's code never writes them itself.
// `people` counts the names using a word: it tells the search which query word is rarest, and the
// word leaves the vocabulary with its last name. Vocabulary rows are changed in word order, so two
// writers never wait for each other in opposite orders within one name.

const id = `text COLLATE "C" NOT NULL`;
const personKind = `person_kind text NOT NULL CHECK (person_kind IN ('staff', 'patient'))`;
const requestClinic = `nullif(current_setting('app.clinic_id', true), '')`;

const statements = [
  // The distinct words of a normalised name (see app_search_name), in order.
  `CREATE FUNCTION app_name_words(search_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array(SELECT DISTINCT w FROM unnest(string_to_array(search_name, ' ')) AS w WHERE w <> '' ORDER BY w)`,
  // One row per word of each person's name, in name order within a word: the people with a given
  // word, a page at a time, from the primary key alone.
  `CREATE TABLE name_words (
    clinic_id ${id} REFERENCES clinics (id),
    ${personKind},
    word ${id},
    search_name ${id},
    person_id ${id},
    PRIMARY KEY (clinic_id, person_kind, word, search_name, person_id)
  )`,
  // The distinct words of a clinic's names, with how many people of that kind use each.
  `CREATE TABLE name_vocabulary (
    clinic_id ${id} REFERENCES clinics (id),
    ${personKind},
    word ${id},
    people integer NOT NULL CHECK (people >= 0),
    PRIMARY KEY (clinic_id, person_kind, word)
  )`,
  // Typo matching of a query word against the vocabulary (btree_gin puts the clinic in the same index).
  `CREATE INDEX name_vocabulary_trigrams ON name_vocabulary USING gin (clinic_id, word gin_trgm_ops)`,

  `CREATE FUNCTION app_index_person_name() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
      kind text := TG_ARGV[0];
      change record;
      remaining integer;
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM public.name_words
        WHERE clinic_id = OLD.clinic_id AND person_kind = kind AND word = ANY (public.app_name_words(OLD.search_name))
          AND search_name = OLD.search_name AND person_id = OLD.id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO public.name_words (clinic_id, person_kind, word, search_name, person_id)
        SELECT NEW.clinic_id, kind, w, NEW.search_name, NEW.id FROM unnest(public.app_name_words(NEW.search_name)) AS w;
      END IF;
      -- Net change per clinic and word, in one order for every writer.
      FOR change IN
        SELECT c.clinic_id, c.word, sum(c.delta)::int AS delta
        FROM (
          SELECT OLD.clinic_id AS clinic_id, w AS word, -1 AS delta
          FROM unnest(public.app_name_words(OLD.search_name)) AS w WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT NEW.clinic_id, w, 1 FROM unnest(public.app_name_words(NEW.search_name)) AS w WHERE TG_OP <> 'DELETE'
        ) c
        GROUP BY c.clinic_id, c.word
        HAVING sum(c.delta) <> 0
        ORDER BY c.clinic_id, c.word
      LOOP
        IF change.delta > 0 THEN
          INSERT INTO public.name_vocabulary AS v (clinic_id, person_kind, word, people)
          VALUES (change.clinic_id, kind, change.word, change.delta)
          ON CONFLICT (clinic_id, person_kind, word) DO UPDATE SET people = v.people + excluded.people;
        ELSE
          UPDATE public.name_vocabulary SET people = people + change.delta
          WHERE clinic_id = change.clinic_id AND person_kind = kind AND word = change.word
          RETURNING people INTO remaining;
          IF remaining = 0 THEN
            DELETE FROM public.name_vocabulary
            WHERE clinic_id = change.clinic_id AND person_kind = kind AND word = change.word AND people = 0;
          END IF;
        END IF;
      END LOOP;
      RETURN NULL;
    END
    $$`,
  "REVOKE ALL ON FUNCTION app_index_person_name() FROM PUBLIC",
];

/** Triggers keeping the word index of one person table, and its backfill. */
function indexPersonTable(table: string, kind: string): string[] {
  const trigger = `${table}_name_words`;
  return [
    `CREATE TRIGGER ${trigger}_insert_delete AFTER INSERT OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION app_index_person_name('${kind}')`,
    `CREATE TRIGGER ${trigger}_update AFTER UPDATE OF clinic_id, id, name ON ${table}
      FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name OR OLD.clinic_id <> NEW.clinic_id
        OR OLD.id <> NEW.id)
      EXECUTE FUNCTION app_index_person_name('${kind}')`,
    // RLS is forced on the owner too: lifted for the backfill only, within this transaction.
    `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`,
    `INSERT INTO name_words (clinic_id, person_kind, word, search_name, person_id)
      SELECT clinic_id, '${kind}', w, search_name, id FROM ${table}, unnest(app_name_words(search_name)) AS w`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
  ];
}

function policies(table: string): string[] {
  const mine = `clinic_id = ${requestClinic}`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`,
    `CREATE POLICY ${table}_tenant ON ${table} USING (${mine}) WITH CHECK (${mine})`,
    // Lets the index be kept when the owning role itself writes people (migrations, seeds) with no
    // clinic set, under an owner that is not a superuser; the rows still come from person rows it
    // wrote. The application role owns nothing, so it is never subject to this policy.
    `CREATE POLICY ${table}_owner_maintains ON ${table} TO CURRENT_USER USING (true) WITH CHECK (true)`,
  ];
}

/** The name word index and vocabulary of START-2, filled from the people already there. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  const all = [
    ...statements,
    ...indexPersonTable("patients", "patient"),
    ...indexPersonTable("staff", "staff"),
    `INSERT INTO name_vocabulary (clinic_id, person_kind, word, people)
      SELECT clinic_id, person_kind, word, count(*) FROM name_words GROUP BY clinic_id, person_kind, word`,
    ...policies("name_words"),
    ...policies("name_vocabulary"),
  ];
  for (const statement of all) await sql.raw(statement).execute(db);
}
