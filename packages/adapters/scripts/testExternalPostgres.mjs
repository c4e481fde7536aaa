// OPS-3: after the suite on the embedded server, the tests that speak to PostgreSQL run again on
// Debian's PostgreSQL server with an owner that is neither superuser nor BYPASSRLS, as on managed
// databases (test/support/debianPostgres.ts). Only those folders: the rest of the suite never
// touches PostgreSQL, and the embedded server's own tests are about the embedded server.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = "/usr/lib/postgresql";
const installed =
  existsSync(root) && readdirSync(root).some((version) => existsSync(join(root, version, "bin", "pg_ctl")));
if (!installed) {
  const message = "Debian's PostgreSQL server is not installed (apt-get install postgresql)";
  // CI installs it (.ci/run) and must never pass without this run.
  if (process.env.TEST_POSTGRES_EXTERNAL === "required") {
    console.error(`${message}: the external PostgreSQL suite cannot run`);
    process.exit(1);
  }
  console.warn(`${message}: the external PostgreSQL suite (OPS-3) did not run`);
  process.exit(0);
}
const run = spawnSync(
  "npx",
  [
    "vitest",
    "run",
    "test/postgres",
    "test/pg-boss",
    "test/notifications",
    "--exclude",
    "test/postgres/embeddedPostgres.test.ts",
  ],
  { stdio: "inherit", env: { ...process.env, TEST_POSTGRES: "external" } },
);
process.exit(run.status ?? 1);
