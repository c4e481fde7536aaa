import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { isDatabaseUnavailable } from "../../src/postgres/pipelinedConnection";
import { createTestDatabase, type TestDatabase } from "../support/postgres";

// OPS-5: a unit of work whose server connection ends under it (a restart, a failover, an
// administrator) fails with an error saying the database is unavailable, and the process and its
// pool carry on: postgres.js throws outside any promise when a closed reserved connection is
// written to or handed out again, which would end the process.

let database: TestDatabase;
let db: Kysely<Database>;

beforeAll(async () => {
  database = await createTestDatabase();
  // Two connections: the one that is ended, and another the pool could hand out instead.
  db = connectPostgres(database.appUrl, { max: 2 });
});

afterAll(async () => {
  await db?.destroy();
  await database?.close();
});

it("OPS-5: a transaction whose connection is terminated fails as unavailable; the pool serves the next ones", async () => {
  const failure = await db
    .transaction()
    .execute(async (trx) => {
      const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      // pg_terminate_backend(pid, timeout) waits until the backend has exited.
      await sql`select pg_terminate_backend(${pid.rows[0]!.pid}, 10000)`.execute(database.inspect);
      // The connection is gone: this statement, and the rollback after it, must not reach it.
      await sql`select 1`.execute(trx);
      await sql`select 2`.execute(trx);
    })
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(isDatabaseUnavailable(failure)).toBe(true);
  // More units of work than connections: each connection of the pool is used again.
  for (let i = 0; i < 6; i++) {
    const answer = await db
      .transaction()
      .execute((trx) => sql<{ n: number }>`select ${i}::int as n`.execute(trx));
    expect(answer.rows[0]!.n).toBe(i);
  }
});
