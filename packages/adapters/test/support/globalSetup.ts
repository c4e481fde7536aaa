import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../src/embedded/embeddedPostgres";
import { preparePostgres } from "../../src/postgres/preparePostgres";
import { startDebianPostgres } from "./debianPostgres";
import { type ProvidedPostgres, withDatabase } from "./postgres";

/**
 * Starts one disposable PostgreSQL for the whole run and migrates a template database that each
 * test file copies (see createTestDatabase). `TEST_POSTGRES=external` runs the same suite on
 * Debian's PostgreSQL server with an owner that is not a superuser, as on managed databases (OPS-3).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-pg-"));
  const server =
    process.env.TEST_POSTGRES === "external"
      ? await startDebianPostgres(root)
      : await startEmbeddedPostgres({ directory: join(root, "data"), disposable: true });
  const provided: ProvidedPostgres = {
    ownerUrl: server.ownerUrl,
    superUrl: "superUrl" in server ? server.superUrl : server.ownerUrl,
    template: "clinic_chat_template",
    appRole: "clinic_chat_app",
    appPassword: "app-role-test-password",
  };
  const admin = postgres(server.ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`CREATE DATABASE ${provided.template}`);
  } finally {
    await admin.end();
  }
  await preparePostgres({
    ownerUrl: withDatabase(server.ownerUrl, provided.template),
    appRole: provided.appRole,
    appPassword: provided.appPassword,
  });
  project.provide("postgres", provided);
  return async () => {
    await server.stop();
    await rm(root, { recursive: true, force: true });
  };
}
