import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import { migrationProvider } from "./migrations/index";

/** The schema holding kysely's own bookkeeping, away from the application's tables. */
export const migrationSchema = "app_migrations";

/**
 * Brings the schema up to date, as the owner of the tables. Migrations run in one transaction
 * under kysely's lock, so concurrent callers wait and then find nothing left to do.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations work on the schema of their time, not on today's table types
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: migrationSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error("database migration failed", { cause: error });
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
