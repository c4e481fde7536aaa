import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// The logger's own destination (standard output, pino's asynchronous destination that gathers lines
// into larger writes) runs in a child process: what matters is what reaches its standard output,
// in what order, that a lone line is not held back, and that nothing is lost when the process
// exits or crashes in the middle of a turn.

const loggingModule = resolve(import.meta.dirname, "../src/logging.ts");
let dir: string | null = null;
let running: ChildProcess | null = null;
afterEach(async () => {
  running?.kill("SIGKILL");
  running = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

async function writeScript(body: string): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), "clinic-chat-logging-"));
  const script = join(dir, "script.ts");
  await writeFile(
    script,
    `import { createLogger } from ${JSON.stringify(loggingModule)};\nconst logger = createLogger({ level: "info" });\n${body}\n`,
  );
  return script;
}

async function runScript(body: string): Promise<{ lines: Record<string, unknown>[]; code: number | null }> {
  const script = await writeScript(body);
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script],
      { cwd: resolve(import.meta.dirname, "..") },
      (error, stdout) => {
        // A run ends with an exit code, or by a signal the script sends itself.
        if (error && typeof error.code !== "number" && !error.signal) {
          fail(error);
          return;
        }
        const lines = stdout
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        done({ lines, code: error ? (typeof error.code === "number" ? error.code : null) : 0 });
      },
    );
  });
}

describe("the logger's standard output", () => {
  it("writes every line, in order, across turns and at an explicit exit in the middle of a turn", async () => {
    const { lines, code } = await runScript(`
for (let n = 0; n < 500; n++) logger.info({ n }, "line");
setImmediate(() => {
  logger.info({ n: 500 }, "next turn");
  setTimeout(() => {
    logger.info({ n: 501 }, "later");
    logger.info({ n: 502 }, "just before exit");
    process.exit(3);
  }, 5);
});`);
    expect(code).toBe(3);
    expect(lines.map((line) => line.n)).toEqual(Array.from({ length: 503 }, (_, n) => n));
  });

  it("keeps the line written just before an uncaught exception", async () => {
    const { lines, code } = await runScript(`
logger.info({ n: 1 }, "before the crash");
throw new Error("crash");`);
    expect(code).not.toBe(0);
    expect(lines.map((line) => line.msg)).toEqual(["before the crash"]);
  });

  it("writes a lone line while the process keeps running: a quiet server's lines do not wait for others", async () => {
    const script = await writeScript(`
logger.info({ n: 1 }, "alone");
setInterval(() => undefined, 1000);`);
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: resolve(import.meta.dirname, ".."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    running = child;
    const line = await new Promise<Record<string, unknown>>((done, fail) => {
      let out = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        const end = out.indexOf("\n");
        if (end >= 0) done(JSON.parse(out.slice(0, end)) as Record<string, unknown>);
      });
      child.on("exit", (code) => fail(new Error(`exited (${code}) before writing its line`)));
    });
    expect(line).toMatchObject({ n: 1, msg: "alone" });
    expect(child.exitCode).toBeNull(); // written while running, not by the flush at exit
  });

  it("writes a fatal line at once: a process killed right after it still leaves it", async () => {
    const { lines, code } = await runScript(`
logger.info({ n: 1 }, "before");
logger.fatal({ n: 2 }, "fatal");
process.kill(process.pid, "SIGKILL");`);
    expect(code).toBeNull(); // killed: no exit handler ran
    expect(lines.map((line) => line.n)).toEqual([1, 2]);
  });

  it("still redacts PHI-bearing keys", async () => {
    const { lines } = await runScript(
      `logger.info({ requestId: "r1", input: { text: "secret" }, email: "a@b.c" }, "x");`,
    );
    expect(lines).toEqual([
      expect.objectContaining({ requestId: "r1", input: "[redacted]", email: "[redacted]" }),
    ]);
  });
});
