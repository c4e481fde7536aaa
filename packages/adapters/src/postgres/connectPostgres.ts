import { Kysely } from "kysely";
import { PostgresJSDialect } from "kysely-postgres-js";
import postgres from "postgres";
import type { Database } from "./Database";

/** Pool settings for {@link connectPostgres}. */
export interface ConnectOptions {
  /** Most connections the pool opens (default 10). */
  readonly max?: number;
}

/**
 * A kysely handle over a postgres.js pool. Nothing connects until the first query; call
 * `destroy()` on the result to close the pool.
 */
export function connectPostgres(url: string, options: ConnectOptions = {}): Kysely<Database> {
  const pool = postgres(url, {
    max: options.max ?? 10,
    // Notices (e.g. "extension already exists") are not errors and may name objects: keep them out of logs.
    onnotice: () => undefined,
    connection: { application_name: "clinic-chat" },
  });
  return new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: pool }) });
}
