import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely";
import type postgres from "postgres";
import { isConnectionLost } from "./connectionErrors";
import type { TracedStatement } from "./connectPostgres";
import { type Planning, planningSettings } from "./statementPlanning";

/** Told of every statement as it goes out (see `ConnectOptions.trace`). */
export type Trace = ((statement: TracedStatement) => void) | undefined;

/** PostgreSQL's "current transaction is aborted, commands ignored until end of transaction block". */
function isAborted(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "25P02";
}

type PendingQuery = postgres.PendingQuery<postgres.Row[]>;

/**
 * How a statement is sent: "prepared" as a named prepared statement over the extended protocol,
 * even without parameters (its plan is cached); "unnamed" over the extended protocol without a
 * name, so it is parsed and planned for its own arguments each time; "simple" as one
 * simple-protocol message, for transaction control. (`simple` is missing from postgres.js's typings.)
 */
export type Protocol = "prepared" | "unnamed" | "simple";
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
export class PipelinedConnection implements DatabaseConnection {
  readonly #reserved: postgres.ReservedSql;
  readonly #trace: Trace;
  /** Statements sent ahead whose outcome nobody has looked at yet. */
  #ahead: Promise<unknown>[] = [];
  /**
   * The first failure of the transaction: statements issued behind it fail as "current
   * transaction is aborted", and report it instead, whichever answer the caller looks at first.
   */
  #failure: unknown;
  /**
   * The error that said the connection is gone. postgres.js keeps a reserved connection without a
   * socket after it closes, and a statement written to it then throws outside any promise and
   * ends the process; so no statement goes to it after that, each fails with this error instead.
   */
  #lost: unknown;
  /**
   * Rejects with {@link #lost} once it is known. postgres.js holds back the statements written to a
   * reserved connection while one it cannot pipeline behind is in flight (one it describes first,
   * a cursor), and never answers them if the connection closes meanwhile: every statement is
   * awaited against this, so it fails with the others instead of waiting forever.
   */
  readonly #gone: Promise<never>;
  #goneWith!: (error: unknown) => void;
  /**
   * The server session that answered the connection's first statement: postgres.js updates its
   * pid in place when it makes the connection again. A connection that closed while nothing of
   * ours was in flight is reconnected for other callers, and a statement written to it then would
   * run in their session, outside this transaction (a COMMIT would "succeed"): a changed pid says
   * it is gone.
   */
  #session: { readonly pid: number } | undefined;
  #pid = 0;
  /** For the trace: whether the write being gathered in this tick has a statement waited for. */
  #writeIsRoundTrip = false;
  /**
   * How the transaction's statements are planned now (undefined after a savepoint's rollback,
   * which may have undone the settings): a statement asking for another way has the settings sent
   * ahead of it, and they stay for the statements after it that ask for the same.
   */
  #planning: Planning | undefined = "usual";

  constructor(reserved: postgres.ReservedSql, trace: Trace) {
    this.#reserved = reserved;
    this.#trace = trace;
    this.#gone = new Promise<never>((_, reject) => {
      this.#goneWith = reject;
    });
    this.#gone.catch(() => undefined);
  }

  #noteFailure(error: unknown): void {
    if (!isAborted(error)) this.#failure ??= error;
    if (isConnectionLost(error) && this.#lost === undefined) {
      this.#lost = error;
      this.#goneWith(error);
    }
  }

  #noteAnswer(result: { readonly state?: { readonly pid: number } }): void {
    if (this.#session !== undefined || !result.state) return;
    this.#session = result.state;
    this.#pid = result.state.pid;
  }

  /** Whether the connection closed and was made again since its first answer (see {@link #session}). */
  #madeAgain(): boolean {
    if (this.#lost !== undefined || this.#session === undefined || this.#session.pid === this.#pid)
      return false;
    this.#noteFailure(
      Object.assign(new Error("the database connection closed between statements"), {
        code: "CONNECTION_CLOSED",
      }),
    );
    return true;
  }

  /** The statement's answer, or the loss of the connection if that comes first (see {@link #gone}). */
  #answer<T>(query: PromiseLike<T>): Promise<T> {
    return Promise.race([query, this.#gone]);
  }

  #query(compiled: CompiledQuery, protocol: Protocol, waited = true): PendingQuery {
    this.#madeAgain();
    if (this.#lost !== undefined) throw this.#lost;
    const query: PendingQuery = this.#reserved.unsafe(
      compiled.sql,
      [...compiled.parameters] as postgres.ParameterOrJSON<never>[],
      protocols[protocol],
    );
    if (this.#trace) {
      const roundTrip = waited && !this.#writeIsRoundTrip;
      if (roundTrip) {
        this.#writeIsRoundTrip = true;
        // postgres.js writes at setImmediate; what comes after goes in the next write.
        setImmediate(() => {
          this.#writeIsRoundTrip = false;
        });
      }
      // Looking at the answer executes the statement now, as the caller is about to anyway.
      const answered = this.#answer(query).then(
        () => true,
        () => false,
      );
      this.#trace({ sql: compiled.sql, roundTrip, answered });
    }
    return query;
  }

  /** Sends the settings that make the next statements planned as `planning` asks, unless they are in force. */
  #planAs(planning: Planning): void {
    if (this.#planning === planning) return;
    this.#planning = planning;
    this.#sendAhead(planningSettings[planning], "simple");
  }

  sendAhead(compiled: CompiledQuery, protocol: Protocol = "prepared"): PendingQuery {
    this.#planAs("usual");
    return this.#sendAhead(compiled, protocol);
  }

  #sendAhead(compiled: CompiledQuery, protocol: Protocol): PendingQuery {
    const query = this.#query(compiled, protocol, false);
    query.execute();
    // Looked at by the next statement; never an unhandled rejection in between.
    const outcome = this.#answer(query).then(
      (result) => {
        this.#noteAnswer(result);
        return undefined;
      },
      (error: unknown) => {
        this.#noteFailure(error);
        return { error };
      },
    );
    this.#ahead.push(outcome);
    return query;
  }

  /** {@link sendAhead}, and the statement's answer for whoever wants it later. */
  sendAheadAnswered<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const query = this.sendAhead(compiled);
    return this.#answer(query).then((result) => ({ rows: result as unknown as R[] }));
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
    return this.#execute(compiled, "prepared", "usual");
  }

  /**
   * A transaction control statement, after what was sent ahead. Once it is answered, so is every
   * statement before it, and what failed before it is over.
   */
  async executeControl(compiled: CompiledQuery): Promise<QueryResult<unknown>> {
    try {
      return await this.#execute(compiled, "simple", null);
    } finally {
      this.#failure = undefined;
      this.#planning = undefined;
    }
  }

  /** Sends a statement at once and answers later: see {@link transactionStatements}. */
  issue<R>(
    compiled: CompiledQuery,
    protocol: Protocol = "prepared",
    planning: Planning = "usual",
  ): Promise<QueryResult<R>> {
    // #execute writes the statement before its first await: now, not when the caller awaits.
    return this.#execute<R>(compiled, protocol, planning);
  }

  /** `planning` null for transaction control, which is planned as nothing and changes no setting. */
  async #execute<R>(
    compiled: CompiledQuery,
    protocol: Protocol,
    planning: Planning | null,
  ): Promise<QueryResult<R>> {
    if (planning) this.#planAs(planning);
    const query = this.#query(compiled, protocol);
    // On the wire now, right behind what was sent ahead (postgres.js writes at the end of the tick).
    query.execute();
    // Runs as the answer comes, before any caller sees it: answers come in order of the statements.
    query.catch((error: unknown) => this.#noteFailure(error));
    if (this.#ahead.length > 0) {
      // Their failure is the one to report.
      try {
        await this.#settleAhead();
      } catch (error) {
        await this.#answer(query).catch(() => undefined);
        throw error;
      }
    }
    let result: postgres.RowList<postgres.Row[]>;
    try {
      result = await this.#answer(query);
    } catch (error) {
      throw isAborted(error) && this.#failure !== undefined ? this.#failure : error;
    }
    this.#noteAnswer(result);
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
    this.#planAs("usual");
    await this.#settleAhead();
    const cursor = this.#query(compiled, "prepared", false).cursor(chunkSize);
    for await (const rows of cursor) yield { rows: rows as unknown as R[] };
  }

  release(): void {
    this.#ahead = [];
    this.#failure = undefined;
    // postgres.js has already counted a closed connection among its closed ones, to connect again
    // when needed; released, it would be handed out as open, without a socket, or taken from
    // whoever it has been made again for.
    if (!this.#madeAgain() && this.#lost === undefined) this.#reserved.release();
  }
}
