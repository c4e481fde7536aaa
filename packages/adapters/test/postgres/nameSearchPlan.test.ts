import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("name search under RLS", () => {
  it("START-2: the trigram operators are LEAKPROOF when the owner is a superuser, so RLS lets the GIN index answer them; under another owner (OPS-3) they stay as pg_trgm ships them", async () => {
    // Only a superuser may mark a function LEAKPROOF. A managed database's owner is not one: the
    // migration then warns and name search scores the clinic's words one by one (slower, same
    // answers, which the name search tests check on either server).
    const owner = await sql<{ super: boolean }>`
      select rolsuper as super from pg_roles where rolname = current_user`.execute(pg.database().owner);
    const superuser = owner.rows[0]?.super;
    expect(typeof superuser).toBe("boolean");
    const rows = await sql<{ name: string; leakproof: boolean }>`
      select proname as name, proleakproof as leakproof from pg_proc
      where proname in ('word_similarity_op', 'word_similarity_commutator_op') order by proname`.execute(
      pg.database().app,
    );
    expect(rows.rows).toEqual([
      { name: "word_similarity_commutator_op", leakproof: superuser },
      { name: "word_similarity_op", leakproof: superuser },
    ]);
  });
});
