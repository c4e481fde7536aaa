import { connect, type Socket } from "node:net";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/postgres/connectionErrors";
import { connectPostgres, transactionStatements } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";
import { postgresTarget } from "../../src/postgres/openPostgres";
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

type Outcome<T> = { value: T } | { error: unknown };

/** `promise`'s outcome, looked at from now on (a failure is never unhandled meanwhile). */
function outcomeOf<T>(promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** The outcome, or "pending" if it has not come within `ms`. */
async function within<T>(outcome: Promise<Outcome<T>>, ms: number): Promise<Outcome<T> | "pending"> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<"pending">((resolve) => {
    timer = setTimeout(() => resolve("pending"), ms);
  });
  try {
    return await Promise.race([outcome, pending]);
  } finally {
    clearTimeout(timer);
  }
}

function failedAsUnavailable(outcome: Outcome<unknown> | "pending"): boolean {
  return outcome !== "pending" && "error" in outcome && isDatabaseUnavailable(outcome.error);
}

/** A value for the test to hand over later. */
function handOver<T>(): { promise: Promise<T>; give(value: T): void } {
  let give!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    give = resolve;
  });
  return { promise, give };
}

/**
 * A unit of work on `on` with a statement in flight (a 30 s sleep) and another held back behind it
 * on postgres.js's side: its backend's pid once the sleep runs, and its outcome.
 */
async function sleepingWithOneHeldBack(on: Kysely<Database>) {
  const backendPid = handOver<number>();
  const outcome = outcomeOf(
    on.transaction().execute(async (trx) => {
      const statements = transactionStatements(trx);
      const [row] = await statements.read<{ pid: number }>("select pg_backend_pid() as pid", []);
      backendPid.give(row!.pid);
      // A statement with a parameter the connection has not prepared yet: postgres.js describes it
      // first and holds the statements behind it on its side until it is answered.
      await statements.write("select pg_sleep($1)", [30]);
      return statements.read<{ n: number }>("select $1::int as n", [1]);
    }),
  );
  const pid = await backendPid.promise;
  await waitForActivity(pid, "select pg_sleep");
  return { pid, outcome };
}

it("OPS-5: statements held back behind one in flight fail as unavailable when the connection ends; none waits forever", async () => {
  const { pid, outcome } = await sleepingWithOneHeldBack(db);
  await sql`select pg_terminate_backend(${pid}, 10000)`.execute(database.inspect);
  expect(failedAsUnavailable(await within(outcome, 5_000))).toBe(true);
  const answer = await db.transaction().execute((trx) => sql<{ n: number }>`select 7::int as n`.execute(trx));
  expect(answer.rows[0]!.n).toBe(7);
});

it("OPS-5: a connection whose network is lost (the socket times out) fails its unit of work as unavailable, held-back statements too", async () => {
  // The sockets are the test's, so it can end one as the kernel does when keep-alive probes or
  // retransmissions go unanswered: an ETIMEDOUT error, then close. The server never hears of it.
  const sockets: Socket[] = [];
  const target = postgresTarget(database.appUrl);
  const { hostname, port } = new URL(target.url);
  const lossy = connectPostgres(database.appUrl, {
    max: 1,
    socket: () => {
      const socket = target.path
        ? connect(target.path)
        : connect(Number(port || 5432), target.host ?? hostname);
      sockets.push(socket);
      return socket;
    },
  });
  try {
    const { pid, outcome } = await sleepingWithOneHeldBack(lossy);
    sockets.at(-1)!.destroy(Object.assign(new Error("read ETIMEDOUT"), { code: "ETIMEDOUT" }));
    expect(failedAsUnavailable(await within(outcome, 5_000))).toBe(true);
    // The pool connects again (a new socket) for the next unit of work.
    const answer = await lossy
      .transaction()
      .execute((trx) => sql<{ n: number }>`select 8::int as n`.execute(trx));
    expect(answer.rows[0]!.n).toBe(8);
    expect(sockets.length).toBe(2);
    await sql`select pg_terminate_backend(${pid}, 10000)`.execute(database.inspect);
  } finally {
    await lossy.destroy();
  }
});

/**
 * A unit of work on `on` that reads its backend's pid, then waits for `go` before its next
 * statement: its connection can be ended while nothing of it is in flight.
 */
function holdConnection(on: Kysely<Database>, go: Promise<void>) {
  const backendPid = handOver<number>();
  const outcome = outcomeOf(
    on.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      backendPid.give(rows[0]!.pid);
      await go;
      await sql`select 1`.execute(trx);
    }),
  );
  return { pid: backendPid.promise, outcome };
}

it("OPS-5: a unit of work waiting for a connection gets one when the connection it waits for ends", async () => {
  // One connection: the second unit of work waits for the first one's, which is then ended.
  const one = connectPostgres(database.appUrl, { max: 1 });
  const go = handOver<void>();
  try {
    const first = holdConnection(one, go.promise);
    const pid = await first.pid;
    const second = outcomeOf(
      one.transaction().execute((trx) => sql<{ n: number }>`select 2::int as n`.execute(trx)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sql`select pg_terminate_backend(${pid}, 10000)`.execute(database.inspect);
    expect(await within(second, 5_000)).toEqual({ value: expect.objectContaining({ rows: [{ n: 2 }] }) });
    go.give();
    expect(failedAsUnavailable(await within(first.outcome, 5_000))).toBe(true);
  } finally {
    go.give();
    await one.destroy();
  }
});

it("OPS-5: a unit of work whose connection ended between its statements fails, though the pool has made that connection again for another", async () => {
  const one = connectPostgres(database.appUrl, { max: 1 });
  const go = handOver<void>();
  try {
    const first = holdConnection(one, go.promise);
    const pid = await first.pid;
    await sql`select pg_terminate_backend(${pid}, 10000)`.execute(database.inspect);
    // The pool connects its one connection again for this one, which answers on a new backend.
    const other = await one
      .transaction()
      .execute((trx) => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx));
    expect(other.rows[0]!.pid).not.toBe(pid);
    go.give();
    // Its next statement (and COMMIT) must not run on the new backend, outside its transaction.
    expect(failedAsUnavailable(await within(first.outcome, 5_000))).toBe(true);
  } finally {
    go.give();
    await one.destroy();
  }
});

/** Waits until backend `pid` runs a statement starting with `prefix`. */
async function waitForActivity(pid: number, prefix: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await sql<{ query: string; state: string }>`
      select query, state from pg_stat_activity where pid = ${pid}`.execute(database.inspect);
    if (rows[0]?.state === "active" && rows[0].query.startsWith(prefix)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`backend ${pid} never ran ${prefix}`);
}
