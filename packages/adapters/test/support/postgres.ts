import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import postgres from "postgres";
import { inject } from "vitest";
import { connectPostgres } from "../../src/postgres/connectPostgres";
import type { Database } from "../../src/postgres/Database";

/** What the global setup hands every test file: one server, one migrated template database. */
export interface ProvidedPostgres {
  /**
   * URL of the server's `postgres` database as the owner role the product is given: a superuser on
   * the embedded server; on an external server (OPS-3) an owner without SUPERUSER or BYPASSRLS.
   */
  readonly ownerUrl: string;
  /**
   * URL of the server's `postgres` database as a superuser, which sees every row: the owner itself
   * on the embedded server; on an external server its own superuser, which the product never gets.
   */
  readonly superUrl: string;
  /** Name of the migrated database that test databases are copied from. */
  readonly template: string;
  readonly appRole: string;
  readonly appPassword: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    postgres: ProvidedPostgres;
  }
}

/** `url` pointing at another database, or as another user. */
export function withDatabase(
  url: string,
  database: string,
  user?: { name: string; password: string },
): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  if (user) {
    next.username = encodeURIComponent(user.name);
    next.password = encodeURIComponent(user.password);
  }
  return next.toString();
}

/** A database of this test file's own, copied from the migrated template. */
export interface TestDatabase {
  readonly name: string;
  /** The application role's handle: RLS applies to everything it does. */
  readonly app: Kysely<Database>;
  /** The owner role's handle, as the product uses it (on an external server forced RLS applies to it). */
  readonly owner: Kysely<Database>;
  /** A superuser's handle (bypasses RLS): for inspecting what is really stored. */
  readonly inspect: Kysely<Database>;
  readonly appUrl: string;
  readonly ownerUrl: string;
  close(): Promise<void>;
}

/** Creates a fresh migrated database (CREATE DATABASE … TEMPLATE, milliseconds) and connects to it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const provided = inject("postgres");
  const name = `test_${randomBytes(6).toString("hex")}`;
  const server = postgres(provided.ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    await server.unsafe(`CREATE DATABASE ${name} TEMPLATE ${provided.template}`);
  } finally {
    await server.end();
  }
  const ownerUrl = withDatabase(provided.ownerUrl, name);
  const appUrl = withDatabase(provided.ownerUrl, name, {
    name: provided.appRole,
    password: provided.appPassword,
  });
  const app = connectPostgres(appUrl, { max: 4 });
  const owner = connectPostgres(ownerUrl, { max: 2 });
  const superUrl = withDatabase(provided.superUrl, name);
  const inspect = superUrl === ownerUrl ? owner : connectPostgres(superUrl, { max: 2 });
  return {
    name,
    app,
    owner,
    inspect,
    appUrl,
    ownerUrl,
    async close() {
      await Promise.all([app.destroy(), owner.destroy(), inspect === owner ? undefined : inspect.destroy()]);
    },
  };
}
