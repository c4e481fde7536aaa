import type { Duplex } from "node:stream";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import type postgres from "postgres";
import type { Database } from "./Database";
import { openPostgres, type PostgresOptions } from "./openPostgres";
import { PipelinedConnection, type Trace } from "./pipelinedConnection";
import { PoolReservations } from "./poolReservations";
import type { ReadOptions, Statements } from "./Statements";

/** Pool settings for {@link connectPostgres}. */
export interface ConnectOptions {
  /** Most connections the pool opens (default 10). */
  readonly max?: number;
  /**
   * Told of every statement as it goes out. For tests that pin round trips: postgres.js writes
   * what a connection is given in one tick as one write, and `roundTrip` marks the first statement
   * of a write that someone waits for; the others ride along (sent ahead of the next statement,
   * or issued in the same tick).
   */
  readonly trace?: (statement: TracedStatement) => void;
  /**
   * Makes each connection's socket instead of connecting to the URL's host (postgres.js's
   * `socket`): for a database reached through a tunnel or a cloud connector's socket.
   */
  readonly socket?: (target: {
    readonly host: readonly string[];
    readonly port: readonly number[];
  }) => Duplex | Promise<Duplex>;
}

/** One statement as {@link ConnectOptions.trace} sees it. */
export interface TracedStatement {
  readonly sql: string;
  readonly roundTrip: boolean;
  /** Settles when the statement's answer arrives: true when it succeeded, false when it failed. */
  readonly answered: Promise<boolean>;
}

/**
 * A kysely handle over a postgres.js pool. Nothing connects until the first query; call
 * `destroy()` on the result to close the pool.
 *
 * Transactions are pipelined: `BEGIN` and the writes of {@link transactionStatements} go out
 * with the next statement in one write instead of one round trip each, so a unit of work that
 * reads once costs two round trips (BEGIN + settings + query, then COMMIT).
 */
export function connectPostgres(url: string, options: ConnectOptions = {}): Kysely<Database> {
  const max = options.max ?? 10;
  let reservations: PoolReservations | undefined;
  const pool = openPostgres(url, {
    max,
    // Notices (e.g. "extension already exists") are not errors and may name objects: keep them out of logs.
    onnotice: () => undefined,
    onclose: () => reservations?.closed(),
    connection: { application_name: "clinic-chat" },
    // Documented by postgres.js ("Custom socket"), absent from its type declarations.
    ...((options.socket ? { socket: options.socket } : {}) as PostgresOptions),
  });
  reservations = new PoolReservations(pool);
  const usage = { inUse: 0, max };
  const db = new Kysely<Database>({
    dialect: pipelinedPostgresDialect(pool, options.trace, usage, reservations),
  });
  usages.set(db, usage);
  return db;
}

/** How many of a pool's connections are lent out now, of how many it may open. */
export interface PoolUsage {
  readonly inUse: number;
  readonly max: number;
}

const usages = new WeakMap<Kysely<Database>, PoolUsage>();

/** The usage of a pool made by {@link connectPostgres} (null for any other handle), read now. */
export function poolUsage(db: Kysely<Database>): PoolUsage | null {
  const usage = usages.get(db);
  return usage ? { inUse: usage.inUse, max: usage.max } : null;
}

/**
 * The {@link Statements} of a unit of work on `db` (its transaction). Reads go out at once, so
 * reads issued together travel in one write and are answered in one round trip, in order. Writes
 * are sent ahead of the transaction's next statement (a read or the COMMIT) and share its round
 * trip; their failure aborts the transaction as usual and is reported by that statement. Outside
 * a transaction, or on a connection that cannot pipeline, every statement simply runs.
 */
export function transactionStatements(db: Kysely<Database>): Statements {
  return {
    db,
    async read<R>(sql: string, parameters: readonly unknown[], options: ReadOptions = {}) {
      const query = CompiledQuery.raw(sql, [...parameters]);
      if (!db.isTransaction) return (await db.executeQuery<R>(query)).rows;
      let answer: Promise<QueryResult<R>> | undefined;
      await db.getExecutor().provideConnection(async (connection) => {
        if (!(connection instanceof PipelinedConnection)) {
          answer = connection.executeQuery<R>(query);
          return;
        }
        // Parsed once, planned as asked: the settings ride ahead of it in the same write.
        answer = connection.issue<R>(
          query,
          "prepared",
          options.planEachTime ? "eachTime" : options.planOnce ? "once" : "usual",
        );
      });
      if (!answer) throw new Error("no connection answered");
      return (await answer).rows;
    },
    async write(sql: string, parameters: readonly unknown[] = []) {
      await sendAhead(db, CompiledQuery.raw(sql, [...parameters]));
    },
    async writeAnswered<R>(sql: string, parameters: readonly unknown[]) {
      const query = CompiledQuery.raw(sql, [...parameters]);
      let rows: Promise<R[]> | undefined;
      await db.getExecutor().provideConnection(async (connection) => {
        rows =
          db.isTransaction && connection instanceof PipelinedConnection
            ? connection.sendAheadAnswered<R>(query).then((result) => result.rows)
            : Promise.resolve((await connection.executeQuery<R>(query)).rows);
      });
      if (!rows) throw new Error("no connection answered");
      rows.catch(() => undefined);
      return { rows };
    },
  };
}

/**
 * Sends `query` ahead of the next statement on the same connection without waiting for its
 * answer. If it fails, the next statement (or the commit) on the connection fails with its
 * error, and in a transaction PostgreSQL refuses everything after it anyway. Outside a
 * transaction, or on a connection that cannot pipeline, it simply runs the query.
 */
async function sendAhead(db: Kysely<Database>, query: CompiledQuery): Promise<void> {
  if (!db.isTransaction) {
    await db.executeQuery(query);
    return;
  }
  await db.getExecutor().provideConnection(async (connection) => {
    if (connection instanceof PipelinedConnection) connection.sendAhead(query);
    else await connection.executeQuery(query);
  });
}

/**
 * The dialect of {@link connectPostgres} on a pool of the caller's (the bench's, to see every
 * statement). Its reservations survive a connection's close only when the pool's `onclose` tells
 * `reservations` (see {@link PoolReservations}).
 */
export function pipelinedPostgresDialect(
  pool: postgres.Sql,
  trace: Trace,
  usage: { inUse: number } = { inUse: 0 },
  reservations = new PoolReservations(pool),
): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PipelinedDriver(pool, reservations, trace, usage),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/** kysely's driver over postgres.js reserved connections, with BEGIN sent ahead of the first statement. */
class PipelinedDriver implements Driver {
  readonly #pool: postgres.Sql;
  readonly #reservations: PoolReservations;
  readonly #trace: Trace;
  /** Connections lent out now, for the pool's gauge. */
  readonly #usage: { inUse: number };

  constructor(pool: postgres.Sql, reservations: PoolReservations, trace: Trace, usage: { inUse: number }) {
    this.#pool = pool;
    this.#reservations = reservations;
    this.#trace = trace;
    this.#usage = usage;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = new PipelinedConnection(await this.#reservations.reserve(), this.#trace);
    this.#usage.inUse++;
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let begin = "begin";
    if (settings.isolationLevel || settings.accessMode) {
      begin = "start transaction";
      if (settings.isolationLevel) begin += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) begin += ` ${settings.accessMode}`;
    }
    if (connection instanceof PipelinedConnection) connection.sendAhead(CompiledQuery.raw(begin), "simple");
    else await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await control(connection, "commit");
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof PipelinedConnection) connection.forgetSentAhead();
    await control(connection, "rollback");
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await control(connection, `savepoint ${quoteIdentifier(name)}`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await control(connection, `rollback to savepoint ${quoteIdentifier(name)}`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await control(connection, `release savepoint ${quoteIdentifier(name)}`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.#usage.inUse--;
    if (connection instanceof PipelinedConnection) connection.release();
  }

  async destroy(): Promise<void> {
    // Bounded: a connection whose server went away under a transaction never ends by itself.
    await this.#pool.end({ timeout: 10 });
  }
}

/** Transaction control has no parameters: one simple-protocol message instead of bind and execute. */
function control(connection: DatabaseConnection, statement: string): Promise<unknown> {
  const query = CompiledQuery.raw(statement);
  return connection instanceof PipelinedConnection
    ? connection.executeControl(query)
    : connection.executeQuery(query);
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
