import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chmod, chown, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";
import { freePort } from "../../src/embedded/embeddedPostgres";

const run = promisify(execFile);

/** The newest PostgreSQL server Debian's packages installed (`apt-get install postgresql`), if any. */
export function debianPostgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : null;
}

/** A PostgreSQL server from Debian, run as managed services run theirs (see {@link startDebianPostgres}). */
export interface DebianPostgres {
  /** The server's own superuser: only for creating the owner role, as a cloud console would. */
  readonly superUrl: string;
  /** The database owner the product is given: LOGIN CREATEDB CREATEROLE, no SUPERUSER, no BYPASSRLS. */
  readonly ownerUrl: string;
  readonly version: number;
  stop(): Promise<void>;
}

/**
 * Starts Debian's PostgreSQL in `directory` on a free loopback port, and creates the role a
 * managed database hands its customer: it owns what it creates, may create databases and roles,
 * and is neither a superuser nor exempt from row-level security (OPS-3).
 */
export async function startDebianPostgres(directory: string): Promise<DebianPostgres> {
  const bin = debianPostgresBin();
  if (!bin) throw new Error("Debian's PostgreSQL server is not installed: apt-get install postgresql");
  const port = await freePort();
  const data = join(directory, "cluster");
  await mkdir(data, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: as root, the server runs as Debian's `postgres` user.
  const as = async (command: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, command), ...args])
      : run(join(bin, command), args);
  const superPassword = "external-super";
  const passwordFile = join(directory, "superuser-password");
  await writeFile(passwordFile, superPassword, { mode: 0o600 });
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: group } = await run("id", ["-g", "postgres"]);
    await chmod(directory, 0o711);
    for (const path of [data, passwordFile]) await chown(path, Number(stdout), Number(group));
  }
  await as("initdb", [
    "-D",
    data,
    "-U",
    "postgres",
    "--pwfile",
    passwordFile,
    "-A",
    "scram-sha-256",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
  ]);
  await as("pg_ctl", [
    "-D",
    data,
    "-w",
    "-l",
    join(data, "server.log"),
    "-o",
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${data} -c fsync=off -c synchronous_commit=off -c max_connections=300`,
    "start",
  ]);
  const superUrl = `postgres://postgres:${superPassword}@127.0.0.1:${port}/postgres`;
  const sql = postgres(superUrl, { max: 1, onnotice: () => undefined });
  let version = 0;
  try {
    await sql.unsafe(
      "CREATE ROLE clinic_owner LOGIN PASSWORD 'external-owner' CREATEDB CREATEROLE NOSUPERUSER NOBYPASSRLS",
    );
    // Managed services commonly give their admin role pg_monitor and pg_signal_backend or
    // equivalents: the first sees every backend's activity and locks, which the lock-order tests
    // watch; the second lets the tests drop their databases WITH (FORCE) while autovacuum works in
    // them. The product needs neither.
    await sql.unsafe("GRANT pg_monitor, pg_signal_backend TO clinic_owner");
    const [row] = await sql<{ v: string }[]>`select current_setting('server_version_num') as v`;
    version = Math.floor(Number(row?.v) / 10000);
  } finally {
    await sql.end();
  }
  return {
    superUrl,
    ownerUrl: `postgres://clinic_owner:external-owner@127.0.0.1:${port}/postgres`,
    version,
    async stop() {
      await as("pg_ctl", ["-D", data, "-w", "-m", "fast", "stop"]);
    },
  };
}
