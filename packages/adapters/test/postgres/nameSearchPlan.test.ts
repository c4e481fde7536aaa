import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("name search under RLS", () => {
  it("START-2: the trigram operators are LEAKPROOF, so RLS lets the GIN index answer them", async () => {
    const rows = await sql<{ name: string; leakproof: boolean }>`
      select proname as name, proleakproof as leakproof from pg_proc
      where proname in ('word_similarity_op', 'word_similarity_commutator_op') order by proname`.execute(
      pg.database().app,
    );
    expect(rows.rows).toEqual([
      { name: "word_similarity_commutator_op", leakproof: true },
      { name: "word_similarity_op", leakproof: true },
    ]);
  });
});
