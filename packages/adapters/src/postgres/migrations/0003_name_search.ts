import { type Kysely, sql } from "kysely";

// START-2 under row-level security. PostgreSQL only uses an operator inside an index scan of an
// RLS table when the operator is LEAKPROOF; pg_trgm's word-similarity operators are not marked so,
// and without it every search scores each name of the clinic one by one (hundreds of ms at
// 100,000 patients). They only compare two strings and raise no data-dependent errors, so we mark
// them. Only a superuser may; another owner gets a warning and slower searches.
//
// Queries of short words only (each must start a name word) list matches in name order; the
// btree index lets them stop after one page instead of sorting every match.

/** Lets name search use its indexes under RLS. */
// biome-ignore lint/suspicious/noExplicitAny: a migration sees the schema of its time, untyped
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DO $$
  BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      ALTER FUNCTION word_similarity_op(text, text) LEAKPROOF;
      ALTER FUNCTION word_similarity_commutator_op(text, text) LEAKPROOF;
    ELSE
      RAISE WARNING 'name search cannot use its trigram index under RLS: pg_trgm word-similarity operators need LEAKPROOF (superuser)';
    END IF;
  END
  $$`.execute(db);
  await sql`CREATE INDEX patients_by_search_name ON patients (clinic_id, search_name COLLATE "C", id)`.execute(
    db,
  );
  await sql`CREATE INDEX staff_by_search_name ON staff (clinic_id, search_name COLLATE "C", id)`.execute(db);
}
