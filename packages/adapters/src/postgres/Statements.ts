import type { Kysely } from "kysely";
import type { Database } from "./Database";

/** Options of {@link Statements.read}. */
export interface ReadOptions {
  /**
   * Plan the statement for its own arguments every time, never from a cached generic plan: for a
   * statement whose best plan depends on its arguments and on how much the tables hold.
   */
  readonly planEachTime?: boolean;
  /**
   * Plan the statement once per connection, from its generic plan, reading every table through
   * its indexes: for a statement of index lookups whose plan cannot get better with its arguments,
   * but whose custom plans look cheaper (an array shorter than the planner's guess of ten, a
   * branch its arguments rule out), so that it would otherwise be planned again at every call, or
   * whose plan would read small tables whole.
   */
  readonly planOnce?: boolean;
}

/**
 * How the stores of one unit of work hand it their statements; the unit of work decides when each
 * goes out. A store says what a statement is, never how to send it.
 */
export interface Statements {
  /** The unit of work's transaction, for statements built with kysely (each waited for). */
  readonly db: Kysely<Database>;
  /**
   * A statement whose rows the store needs. Reads issued together (say, by a `Promise.all` of the
   * use case) are answered in the order issued; a failure fails this read and those after it.
   */
  read<R>(sql: string, parameters: readonly unknown[], options?: ReadOptions): Promise<R[]>;
  /**
   * A statement whose answer nobody waits for. It may wait until the unit of work's next read or
   * its end; a failure then fails that read or the unit of work, and nothing of it commits.
   */
  write(sql: string, parameters?: readonly unknown[]): Promise<void>;
  /**
   * {@link write} for a statement whose rows are wanted once the unit of work is over (an id to
   * announce after the commit): `rows` settles at the latest when the unit of work ends, and
   * rejects when the statement failed (never reported as unhandled).
   */
  writeAnswered<R>(sql: string, parameters: readonly unknown[]): Promise<{ rows: Promise<R[]> }>;
}
