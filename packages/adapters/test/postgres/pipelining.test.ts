import { CompiledQuery, type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectPostgres, sendAhead } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { withClinic } from "../../src/postgres/PostgresUnitOfWork";
import { usePostgresUnitOfWork } from "../support/postgresUnitOfWork";

const pg = usePostgresUnitOfWork();

describe("pipelined transactions", () => {
  // One connection, so that every transaction below runs on the one before's.
  let db: Kysely<Database>;
  beforeAll(() => {
    db = connectPostgres(pg.database().appUrl, { max: 1 });
  });
  afterAll(async () => {
    await db.destroy();
  });

  const setting = (trx: Kysely<Database>) =>
    sql<{ clinic: string }>`select current_setting('app.clinic_id', true) as clinic`.execute(trx);

  it("SEC-4: BEGIN and the clinic go ahead of the first statement, in its transaction, and end with it", async () => {
    const seen = await withClinic(db, "clinic-a", async (trx) => {
      const first = await sql<{ clinic: string; at: Date }>`
        select current_setting('app.clinic_id', true) as clinic, now() as at`.execute(trx);
      const second = await sql<{ at: Date }>`select now() as at, pg_sleep(0.002)`.execute(trx);
      return { first: first.rows[0]!, second: second.rows[0]! };
    });
    expect(seen.first.clinic).toBe("clinic-a");
    // One transaction: its start time does not move between statements.
    expect(seen.second.at).toEqual(seen.first.at);
    expect((await setting(db)).rows[0]?.clinic ?? "").toBe("");
  });

  it("a failed statement sent ahead fails the next statement with its own error, and the connection recovers", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await sendAhead(trx, CompiledQuery.raw("select 1 / 0"));
        await sql`select 1`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    await expect(
      db.transaction().execute((trx) => sendAhead(trx, CompiledQuery.raw("select 1 / 0"))),
    ).rejects.toThrow(/division by zero/);
    expect(await withClinic(db, "clinic-b", async (trx) => (await setting(trx)).rows[0]?.clinic)).toBe(
      "clinic-b",
    );
  });

  it("a use case that throws before any statement rolls back what went ahead", async () => {
    await expect(
      withClinic(db, "clinic-c", async () => {
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect((await setting(db)).rows[0]?.clinic ?? "").toBe("");
  });
});
