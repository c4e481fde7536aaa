import type postgres from "postgres";

/** One caller waiting for a reserved connection. */
interface Waiter {
  /** Asks the pool (again) for a connection; the first answer of any of its asks is the caller's. */
  ask(): void;
}

/**
 * Reserves connections of a postgres.js pool so that every reservation settles, also when a
 * connection of the pool closes (the server restarts, an administrator ends a backend).
 *
 * postgres.js loses a reservation that waits for a connection when one of its connections closes:
 * the closing connection takes the first waiter along to its reconnect, and a reconnect that
 * succeeds drops a reservation instead of handing it the connection (porsager/postgres#1195). So
 * every reservation still waiting when a connection closes asks again once the close is handled;
 * the first answer wins, and a connection that comes after it is released at once. A close of a
 * pool with nobody waiting costs nothing.
 */
export class PoolReservations {
  readonly #pool: postgres.Sql;
  readonly #waiting = new Set<Waiter>();

  constructor(pool: postgres.Sql) {
    this.#pool = pool;
  }

  /** For the pool's `onclose` option: a connection of the pool has closed. */
  readonly closed = (): void => {
    if (this.#waiting.size === 0) return;
    // After postgres.js has handed the first waiter to the closing connection's reconnect.
    queueMicrotask(() => {
      for (const waiter of [...this.#waiting]) waiter.ask();
    });
  };

  /** A reserved connection of the pool, or the error of the pool's first failed answer. */
  reserve(): Promise<postgres.ReservedSql> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const waiter: Waiter = {
        ask: () => {
          this.#pool.reserve().then(
            (reserved) => {
              if (settled) {
                reserved.release();
                return;
              }
              settled = true;
              this.#waiting.delete(waiter);
              resolve(reserved);
            },
            (error: unknown) => {
              if (settled) return;
              settled = true;
              this.#waiting.delete(waiter);
              reject(error);
            },
          );
        },
      };
      this.#waiting.add(waiter);
      waiter.ask();
    });
  }
}
