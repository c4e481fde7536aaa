/**
 * A clamd of the test's own (FILE-6): its own configuration, Unix socket, TCP port and a signature
 * database the test writes with the EICAR test file's signature (freshclam cannot reach its
 * mirrors here). clamd must be installed (Debian's clamav-daemon): without it this fails, nothing
 * is skipped.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClamdScanner } from "../../src/clamav/index";

/** The EICAR anti-virus test file: harmless, and detected as malware by every scanner. */
export const eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

const clamdPaths = ["/usr/sbin/clamd", "/usr/bin/clamd", "/usr/local/sbin/clamd"];

export interface TestClamd {
  readonly socketPath: string;
  readonly host: string;
  readonly port: number;
  /** Stops clamd (as an outage would) and waits until it no longer answers. */
  stop(): Promise<void>;
  /** Starts it again on the same socket and port, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startTestClamd(): Promise<TestClamd> {
  const binary = clamdPaths.find((path) => existsSync(path));
  if (!binary) throw new Error("clamd is not installed: apt-get install -y clamav-daemon");
  const directory = await mkdtemp(join(tmpdir(), "clinic-chat-clamd-"));
  const database = join(directory, "db");
  const socketPath = join(directory, "clamd.sock");
  const port = await freePort();
  const host = "127.0.0.1";
  await rm(database, { recursive: true, force: true });
  const { mkdir } = await import("node:fs/promises");
  await mkdir(database);
  // Offset * (anywhere): EICAR is found inside a PDF's stream and inside a zip entry too.
  await writeFile(
    join(database, "eicar.ndb"),
    `Clinic-Chat-Test-EICAR:0:*:${Buffer.from(eicar, "latin1").toString("hex")}\n`,
  );
  const config = join(directory, "clamd.conf");
  await writeFile(
    config,
    [
      `DatabaseDirectory ${database}`,
      `LocalSocket ${socketPath}`,
      `TCPSocket ${port}`,
      `TCPAddr ${host}`,
      "Foreground yes",
      `PidFile ${join(directory, "clamd.pid")}`,
      "StreamMaxLength 30M",
      // Run as whoever runs the tests (clamd switches to its own user only when started by root).
      ...(process.getuid?.() === 0 ? ["User root"] : []),
      "",
    ].join("\n"),
  );
  const scanner = createClamdScanner({ socketPath });
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const started = spawn(binary!, ["-c", config], { stdio: ["ignore", "ignore", "pipe"] });
    child = started;
    let stderr = "";
    started.stderr?.on("data", (data: Buffer) => {
      stderr += String(data);
    });
    const deadline = Date.now() + 30_000;
    while (!(await scanner.ping())) {
      if (started.exitCode !== null) throw new Error(`clamd exited: ${stderr.slice(0, 500)}`);
      if (Date.now() > deadline) throw new Error("clamd did not start within 30 seconds");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function stop(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  }

  await start();
  return {
    socketPath,
    host,
    port,
    stop,
    start,
    async close() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
