// OPS-3: after the API's suite on the embedded server, the topology test (two API processes and a
// notification worker on one database) runs on Debian's PostgreSQL server with an owner that is
// neither superuser nor BYPASSRLS, as on managed databases (the adapters' test/support/debianPostgres.ts
// starts it). Only that folder: the rest of the API's suite ran on the embedded server already.
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
    console.error(`${message}: the API's topology test cannot run`);
    process.exit(1);
  }
  console.warn(`${message}: the API's topology test (OPS-3) did not run`);
  process.exit(0);
}
const run = spawnSync("npx", ["vitest", "run", "test/topology"], {
  stdio: "inherit",
  env: { ...process.env, TEST_POSTGRES: "external" },
});
process.exit(run.status ?? 1);
