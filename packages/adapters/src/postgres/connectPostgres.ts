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
import { openPostgres } from "./openPostgres";
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
}

/** One statement as {@link ConnectOptions.trace} sees it. */
export interface TracedStatement {
  readonly sql: string;
  readonly roundTrip: boolean;
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
  const pool = openPostgres(url, {
    max: options.max ?? 10,
    // Notices (e.g. "extension already exists") are not errors and may name objects: keep them out of logs.
    onnotice: () => undefined,
    connection: { application_name: "clinic-chat" },
  });
  return new Kysely<Database>({ dialect: pipelinedPostgresDialect(pool, options.trace) });
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
      const protocol: Protocol = options.planEachTime ? "unnamed" : "prepared";
      let answer: Promise<QueryResult<R>> | undefined;
      await db.getExecutor().provideConnection(async (connection) => {
        answer =
          connection instanceof PipelinedConnection
            ? connection.issue<R>(query, protocol)
            : connection.executeQuery<R>(query);
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

type Trace = ConnectOptions["trace"];

function pipelinedPostgresDialect(pool: postgres.Sql, trace: Trace): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PipelinedDriver(pool, trace),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/** kysely's driver over postgres.js reserved connections, with BEGIN sent ahead of the first statement. */
class PipelinedDriver implements Driver {
  readonly #pool: postgres.Sql;
  readonly #trace: Trace;

  constructor(pool: postgres.Sql, trace: Trace) {
    this.#pool = pool;
    this.#trace = trace;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PipelinedConnection(await this.#pool.reserve(), this.#trace);
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
    if (connection instanceof PipelinedConnection) connection.release();
  }

  async destroy(): Promise<void> {
    await this.#pool.end();
  }
}

/** Transaction control has no parameters: one simple-protocol message instead of bind and execute. */
function control(connection: DatabaseConnection, statement: string): Promise<unknown> {
  const query = CompiledQuery.raw(statement);
  return connection instanceof PipelinedConnection
    ? connection.executeControl(query)
    : connection.executeQuery(query);
}

/** PostgreSQL's "current transaction is aborted, commands ignored until end of transaction block". */
function isAborted(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "25P02";
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

type PendingQuery = postgres.PendingQuery<postgres.Row[]>;

/**
 * How a statement is sent: "prepared" as a named prepared statement over the extended protocol,
 * even without parameters (its plan is cached); "unnamed" over the extended protocol without a
 * name, so it is parsed and planned for its own arguments each time; "simple" as one
 * simple-protocol message, for transaction control. (`simple` is missing from postgres.js's typings.)
 */
type Protocol = "prepared" | "unnamed" | "simple";
const protocols: Record<Protocol, postgres.UnsafeQueryOptions> = {
  prepared: { prepare: true, simple: false } as postgres.UnsafeQueryOptions,
  unnamed: { prepare: false, simple: false } as postgres.UnsafeQueryOptions,
  simple: { prepare: false, simple: true } as postgres.UnsafeQueryOptions,
};

/**
 * One reserved postgres.js connection. postgres.js writes a statement as soon as it is executed,
 * while earlier ones are still in flight, and answers them in order; a statement sent ahead is
 * therefore on the wire before the next one, and its outcome is known before the next one's.
 */
class PipelinedConnection implements DatabaseConnection {
  readonly #reserved: postgres.ReservedSql;
  readonly #trace: Trace;
  /** Statements sent ahead whose outcome nobody has looked at yet. */
  #ahead: Promise<unknown>[] = [];
  /**
   * The first failure of the transaction: statements issued behind it fail as "current
   * transaction is aborted", and report it instead, whichever answer the caller looks at first.
   */
  #failure: unknown;
  /** For the trace: whether the write being gathered in this tick has a statement waited for. */
  #writeIsRoundTrip = false;

  constructor(reserved: postgres.ReservedSql, trace: Trace) {
    this.#reserved = reserved;
    this.#trace = trace;
  }

  #query(compiled: CompiledQuery, protocol: Protocol, waited = true): PendingQuery {
    if (this.#trace) {
      const roundTrip = waited && !this.#writeIsRoundTrip;
      if (roundTrip) {
        this.#writeIsRoundTrip = true;
        // postgres.js writes at setImmediate; what comes after goes in the next write.
        setImmediate(() => {
          this.#writeIsRoundTrip = false;
        });
      }
      this.#trace({ sql: compiled.sql, roundTrip });
    }
    return this.#reserved.unsafe(
      compiled.sql,
      [...compiled.parameters] as postgres.ParameterOrJSON<never>[],
      protocols[protocol],
    );
  }

  sendAhead(compiled: CompiledQuery, protocol: Protocol = "prepared"): PendingQuery {
    const query = this.#query(compiled, protocol, false);
    query.execute();
    // Looked at by the next statement; never an unhandled rejection in between.
    const outcome = query.then(
      () => undefined,
      (error: unknown) => {
        if (!isAborted(error)) this.#failure ??= error;
        return { error };
      },
    );
    this.#ahead.push(outcome);
    return query;
  }

  /** {@link sendAhead}, and the statement's answer for whoever wants it later. */
  sendAheadAnswered<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const query = this.sendAhead(compiled);
    return query.then((result) => ({ rows: result as unknown as R[] }));
  }

  /** Statements sent ahead of a rollback have no outcome worth reporting. */
  forgetSentAhead(): void {
    this.#ahead = [];
  }

  async #settleAhead(): Promise<void> {
    if (this.#ahead.length === 0) return;
    const ahead = this.#ahead;
    this.#ahead = [];
    for (const outcome of await Promise.all(ahead)) {
      if (outcome) throw (outcome as { error: unknown }).error;
    }
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.#execute(compiled, "prepared");
  }

  /**
   * A transaction control statement, after what was sent ahead. Once it is answered, so is every
   * statement before it, and what failed before it is over.
   */
  async executeControl(compiled: CompiledQuery): Promise<QueryResult<unknown>> {
    try {
      return await this.#execute(compiled, "simple");
    } finally {
      this.#failure = undefined;
    }
  }

  /** Sends a statement at once and answers later: see {@link transactionStatements}. */
  issue<R>(compiled: CompiledQuery, protocol: Protocol = "prepared"): Promise<QueryResult<R>> {
    // #execute writes the statement before its first await: now, not when the caller awaits.
    return this.#execute<R>(compiled, protocol);
  }

  async #execute<R>(compiled: CompiledQuery, protocol: Protocol): Promise<QueryResult<R>> {
    const query = this.#query(compiled, protocol);
    // On the wire now, right behind what was sent ahead (postgres.js writes at the end of the tick).
    query.execute();
    // Runs as the answer comes, before any caller sees it: answers come in order of the statements.
    query.catch((error: unknown) => {
      if (!isAborted(error)) this.#failure ??= error;
    });
    if (this.#ahead.length > 0) {
      // Their failure is the one to report.
      try {
        await this.#settleAhead();
      } catch (error) {
        await query.catch(() => undefined);
        throw error;
      }
    }
    let result: postgres.RowList<postgres.Row[]>;
    try {
      result = await query;
    } catch (error) {
      throw isAborted(error) && this.#failure !== undefined ? this.#failure : error;
    }
    const { command, count } = result;
    return {
      numAffectedRows:
        command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "MERGE"
          ? BigInt(count)
          : undefined,
      rows: result as unknown as R[],
    };
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    await this.#settleAhead();
    const cursor = this.#query(compiled, "prepared", false).cursor(chunkSize);
    for await (const rows of cursor) yield { rows: rows as unknown as R[] };
  }

  release(): void {
    this.#ahead = [];
    this.#failure = undefined;
    this.#reserved.release();
  }
}
