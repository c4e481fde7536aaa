import type { HitPosition, IndexHit, SearchScope } from "@clinic-chat/domain";
import type { Statements } from "./Statements";

// SRCH-1's order is: messages holding more of the query's words first, then the newest. Each
// number of words held is a tier, read newest first. A tier is read in two ways, whichever is
// cheap: a word held by many messages has many of them among the searcher's newest messages, so
// walking those in time order (the `message_search_recent` index) finds a page at once, where the
// word index would hand over every message holding it to be sorted by time; a word held by few
// messages is found through the word index, whose answer is then small. A walk that looks through
// `window` messages without filling the page leaves the tier to the word index.

/**
 * Parameters of every statement below: $1 the clinic, $2 the query's digests, $3/$4 the searcher,
 * $5 one conversation or null, $6/$7 the position after which the tier continues (or nulls).
 */
const searchersConversations = `select p.conversation_id from conversation_participants p
  where p.clinic_id = $1 and p.person_kind = $3 and p.person_id = $4`;
const inScope = `($5::text is null or s.conversation_id = $5::text)
  and ($6::timestamptz is null or (s.sent_at, s.message_id) < ($6::timestamptz, $7::text))`;
const readable = `s.conversation_id in (${searchersConversations}) and ${inScope}`;

/**
 * {@link readable} for a walk in time order: the searcher's conversations are read once into a
 * hash that each index entry walked is checked against. Written as a test as a whole (`is true`)
 * rather than a join, which PostgreSQL would plan as a probe of the participants' index per
 * entry, since it cannot know how many entries the walk passes before its limit; a walk passes
 * thousands (the searcher's share of the clinic's newest messages).
 */
const walkable = `(s.conversation_id in (${searchersConversations})) is true and ${inScope}`;

/** How many of the query's digests a row holds: its digests are distinct, so its words held. */
const heldOf = "(select count(*)::int from unnest(s.terms) t where t = any($2::bigint[]))";

/**
 * A tier ($8 words held) among the searcher's newest $10 messages, newest first, at most $9. The
 * tier of every word is a containment test; the others count the words held of rows holding any.
 */
const recentTierSql = (
  every: boolean,
) => `select s.message_id, s.conversation_id, s.sent_at, $8::int as matched from (
    select s.message_id, s.conversation_id, s.sent_at, s.terms from message_search s
     where s.clinic_id = $1 and ${walkable}
     order by s.sent_at desc, s.message_id desc
     limit $10
  ) s
  where ${every ? "s.terms @> $2::bigint[]" : `s.terms && $2::bigint[] and ${heldOf} = $8`}
  order by s.sent_at desc, s.message_id desc
  limit $9`;

/** How many of the searcher's messages the walk above looks through, up to $8 ($2 typed, unused). */
const walkedSql = `select count(*)::int as walked from (
    select 1 from message_search s
     where s.clinic_id = $1 and cardinality($2::bigint[]) > 0 and ${walkable}
     order by s.sent_at desc, s.message_id desc
     limit $8
  ) w`;

/**
 * A tier through the word index: the rows holding every word ($8 equals the number of digests)
 * or any, taken whole before they are scoped and sorted, so that no plan walks the time order
 * instead (which is the slow way for rare words).
 */
const indexedTierSql = (every: boolean) => `with found as materialized (
    select s.message_id, s.conversation_id, s.sent_at, s.terms from message_search s
     where s.clinic_id = $1 and s.terms ${every ? "@>" : "&&"} $2::bigint[]
  )
  select s.message_id, s.conversation_id, s.sent_at, $8::int as matched from found s
   where ${readable} and ${heldOf} = $8
   order by s.sent_at desc, s.message_id desc
   limit $9`;

/**
 * The walks are planned for their arguments: the searcher's conversations are then read through
 * the participants' index by person, where a plan made once for any searcher may read the whole
 * clinic's participants to find them (it must guess how many one person has).
 */
const planEachTime = true;

/** For the rest of the unit of work (a search's, which reads little), no parallel workers. */
const serialReads = "select set_config('max_parallel_workers_per_gather', '0', true)";

interface HitRow {
  message_id: string;
  conversation_id: string;
  sent_at: Date;
  matched: number;
}

/** How a search reads: the walk's length (tests shorten it to reach the word index). */
export interface SearchReading {
  readonly window: number;
}

/** Messages the walk looks through before asking the word index. */
export const searchWindow: SearchReading = { window: 1000 };

/**
 * {@link SearchIndex.find} over keyed digests: tier by tier from the most words held, until the
 * page is full. `digests` are the query's words' digests, distinct.
 */
export async function findHits(
  statements: Statements,
  clinicId: string,
  digests: readonly string[],
  scope: SearchScope,
  page: { readonly after: HitPosition | null; readonly limit: number },
  reading: SearchReading = searchWindow,
): Promise<IndexHit[]> {
  // A search reads a few hundred rows: one process reads them sooner than parallel workers start,
  // which a plan made without knowing the walk's length may otherwise ask for (tens of ms each).
  await statements.write(serialReads);
  const hits: IndexHit[] = [];
  let tier = Math.min(page.after?.matched ?? digests.length, digests.length);
  let after = page.after && page.after.matched === tier ? page.after : null;
  while (tier >= 1 && hits.length < page.limit) {
    const want = page.limit - hits.length;
    const scoped = [
      clinicId,
      digests,
      scope.person.kind,
      scope.person.id,
      scope.conversationId,
      after?.sentAt ?? null,
      after?.messageId ?? null,
    ];
    const every = tier === digests.length;
    let rows = await statements.read<HitRow>(recentTierSql(every), [...scoped, tier, want, reading.window], {
      planEachTime,
    });
    if (rows.length < want) {
      const [walk] = await statements.read<{ walked: number }>(walkedSql, [...scoped, reading.window], {
        planEachTime,
      });
      if ((walk?.walked ?? 0) >= reading.window)
        rows = await statements.read<HitRow>(indexedTierSql(tier === digests.length), [
          ...scoped,
          tier,
          want,
        ]);
    }
    hits.push(
      ...rows.map((row) => ({
        messageId: row.message_id,
        conversationId: row.conversation_id,
        sentAt: row.sent_at,
        matched: row.matched,
      })),
    );
    tier -= 1;
    after = null;
  }
  return hits;
}
