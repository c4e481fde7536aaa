import { type RawBuilder, sql } from "kysely";

// START-2's SQL: the query's words matched against the clinic's vocabulary of name words, then the
// people having the best matches, read from the word index a page at a time (migration 0004).

/** The words of a query, as the in-memory directory splits them; at most five are used. */
export function queryWords(query: string): string[] {
  return query
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0)
    .slice(0, 5);
}

/** A vocabulary word matching query word `i`: `prefix` when it starts with it (score 1). */
export interface WordMatch {
  readonly i: number;
  readonly term: string;
  readonly word: string;
  readonly people: number;
  readonly prefix: boolean;
  readonly score: number;
}

export type PersonKind = "patient" | "staff";

/** A person found by name search. */
interface Hit {
  readonly person_id: string;
  readonly search_name: string;
  readonly score: number;
}

/**
 * The vocabulary words matching each query word (START-2), in one statement whatever the words.
 * A query word of four letters or more matches a name word by `term <% word`: pg_trgm's word
 * similarity at or above the threshold the unit of work sets, from the vocabulary's GIN trigram
 * index (a word prefix always passes: it shares all but its last trigram with the word). Shorter
 * words leave too little for a typo, so they must start the name word: a range of the vocabulary's
 * primary key (its words sort bytewise, so the words starting with `term` lie between `term` and
 * `term` followed by the last code point). A word the query word starts scores 1, any other its
 * similarity, kept below 1 so that 1 always means "every query word starts a name word".
 */
export function vocabularyMatches(
  words: readonly string[],
  clinicId: string,
  kind: PersonKind,
): RawBuilder<WordMatch> {
  return sql<WordMatch>`select t.i, t.term, v.word, v.people, v.prefix, v.score
    from (
      select (q.i - 1)::int as i, app_search_name(q.w) as term, length(q.w) < 4 as short
      from unnest(${words}::text[]) with ordinality as q(w, i) offset 0
    ) t
    cross join lateral (
      select v.word, v.people, true as prefix, 1::float8 as score
      from name_vocabulary v
      where t.short and t.term <> '' and v.clinic_id = ${clinicId} and v.person_kind = ${kind}
        and v.word >= t.term and v.word < t.term || chr(1114111)
      union all
      select v.word, v.people, v.word ^@ t.term,
        case when v.word ^@ t.term then 1 else least(word_similarity(t.term, v.word), 0.99) end::float8
      from name_vocabulary v
      where not t.short and v.clinic_id = ${clinicId} and v.person_kind = ${kind} and t.term <% v.word
    ) v`;
}

/**
 * The best `limit` people of `kind` matching every query word, as (person_id, search_name,
 * score), best first then by name: a person's score is the mean over the query words of the best
 * score of a word of their name. Null when some query word matches no word at all. The work is
 * bounded by the word index, never by the clinic's size:
 * - people whose name has a word starting with every query word all score 1 and come by name.
 *   They are read from the name-ordered lists of the words starting the query word used by
 *   fewest people (its prefix words), at most `limit` from each list, the other query words
 *   checked on the name.
 * - with one query word, typo matches are only read when those were fewer than `limit`: at most
 *   `limit` people from each typo word's list, leaving out those found above.
 * - with several query words and any typo word among their matches, every person having a word
 *   that matches the query word used by fewest people is scored, if their name also has a
 *   matching word for each of the others.
 */
export function bestMatches(
  matches: readonly WordMatch[],
  count: number,
  clinicId: string,
  kind: PersonKind,
  limit: number,
): RawBuilder<Hit> | null {
  const byTerm = Array.from({ length: count }, (_, i) => matches.filter((m) => m.i === i));
  if (byTerm.some((list) => list.length === 0)) return null;
  const terms = byTerm.map((list) => list[0]!.term);
  const prefixes = byTerm.map((list) => list.filter((m) => m.prefix));
  const typos = byTerm.map((list) => list.filter((m) => !m.prefix));
  const people = (list: readonly WordMatch[]) => list.reduce((sum, m) => sum + m.people, 0);
  const rarest = (lists: readonly (readonly WordMatch[])[]) =>
    lists.reduce((best, list, i) => (people(list) < people(lists[best]!) ? i : best), 0);
  const wordsOf = sql`name_words n where n.clinic_id = ${clinicId} and n.person_kind = ${kind}`;
  const startsAWord = (term: string, name: RawBuilder<string>) =>
    sql<boolean>`strpos(' ' || ${name}, ${` ${term}`}) > 0`;
  const listed = (list: readonly WordMatch[]) => sql`${list.map((m) => m.word)}::text[]`;
  const anyTypos = typos.some((list) => list.length > 0);

  if (count > 1 && anyTypos) {
    const d = rarest(byTerm);
    const name = sql<string>`n.search_name`;
    const others = byTerm.flatMap((_, i) =>
      i === d
        ? []
        : [
            typos[i]!.length > 0
              ? sql`and (${startsAWord(terms[i]!, name)} or string_to_array(n.search_name, ' ') && ${listed(typos[i]!)})`
              : sql`and ${startsAWord(terms[i]!, name)}`,
          ],
    );
    const termScores = byTerm.map((_, i) => {
      const best = sql`(select max(w.score::float8) from unnest(${listed(typos[i]!)}, ${typos[i]!.map((m) => String(m.score))}::text[]) as w(word, score)
        where w.word = any(string_to_array(c.search_name, ' ')))`;
      return sql`case when ${startsAWord(terms[i]!, sql`c.search_name`)} then 1 else ${best} end`;
    });
    return sql`(select c.person_id, c.search_name, (${sql.join(termScores, sql` + `)}) / ${sql.lit(count)} as score
      from (
        select distinct n.person_id, n.search_name from ${wordsOf}
          and n.word = any(${listed(byTerm[d]!)}) ${sql.join(others, sql` `)}
      ) c
      order by score desc, c.search_name, c.person_id limit ${limit})`;
  }

  let exact: RawBuilder<unknown> | null = null;
  if (prefixes.every((list) => list.length > 0)) {
    const d = rarest(prefixes);
    const others = terms.flatMap((term, i) =>
      i === d ? [] : [sql`and ${startsAWord(term, sql`n.search_name`)}`],
    );
    exact = sql`select distinct p.person_id, p.search_name, 1::float8 as score
      from unnest(${listed(prefixes[d]!)}) as w(word)
      cross join lateral (
        select n.person_id, n.search_name from ${wordsOf} and n.word = w.word ${sql.join(others, sql` `)}
        order by n.search_name, n.person_id limit ${limit}
      ) p
      order by p.search_name, p.person_id limit ${limit}`;
  }
  if (!anyTypos) {
    if (!exact) return null;
    // Short, common prefixes (`j`, `ma s`) have many words, each read a page at a time above. Their
    // matches are dense among all names, though: the first names in name order, read from the
    // name index, usually hold a page of them already. Tried first when the lists would be long.
    const lists =
      count === 1
        ? prefixes[0]!.reduce((sum, m) => sum + Math.min(m.people, limit), 0)
        : people(prefixes[rarest(prefixes)]!);
    if (lists <= longLists) return sql`(${exact})`;
    const table = sql.table(kind === "patient" ? "patients" : "staff");
    const name = sql<string>`p.search_name`;
    const first = sql`select p.id as person_id, p.search_name, 1::float8 as score
      from (
        select id, search_name from ${table} where clinic_id = ${clinicId}
        order by search_name collate "C", id limit ${firstNames}
      ) p
      where ${sql.join(
        terms.map((term) => startsAWord(term, name)),
        sql` and `,
      )}
      order by p.search_name collate "C", p.id limit ${limit}`;
    return sql`(with first as materialized (${first})
      select * from first where (select count(*) from first) = ${limit}
      union all
      select * from (${exact}) exact where (select count(*) from first) < ${limit})`;
  }

  // One query word with typo matches.
  const typo = sql`select p.person_id, p.search_name, max(w.score::float8) as score
    from unnest(${listed(typos[0]!)}, ${typos[0]!.map((m) => String(m.score))}::text[]) as w(word, score)
    cross join lateral (
      select n.person_id, n.search_name from ${wordsOf}
        and n.word = w.word and not ${startsAWord(terms[0]!, sql`n.search_name`)}
      order by n.search_name, n.person_id limit ${limit}
    ) p
    group by p.person_id, p.search_name
    order by score desc, p.search_name, p.person_id limit ${limit}`;
  if (!exact) return sql`(${typo})`;
  return sql`(with exact as materialized (${exact})
    select person_id, search_name, score from exact
    union all
    select * from (${typo}) typo where (select count(*) from exact) < ${limit})`;
}

/** Index entries the exact pass may read before the first names are tried instead. */
const longLists = 2000;
/** How many names in name order that try reads. */
const firstNames = 1000;
