import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// The logger's own destination (standard output, written once per event-loop turn) runs in a
// child process: what matters is what reaches its standard output, in what order, and that
// nothing is lost when the process exits or crashes in the middle of a turn.

const loggingModule = resolve(import.meta.dirname, "../src/logging.ts");
let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

async function runScript(body: string): Promise<{ lines: Record<string, unknown>[]; code: number | null }> {
  dir = await mkdtemp(join(tmpdir(), "clinic-chat-logging-"));
  const script = join(dir, "script.ts");
  await writeFile(
    script,
    `import { createLogger } from ${JSON.stringify(loggingModule)};\nconst logger = createLogger({ level: "info" });\n${body}\n`,
  );
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ["--import", "tsx", script],
      { cwd: resolve(import.meta.dirname, "..") },
      (error, stdout) => {
        if (error && typeof error.code !== "number") {
          fail(error);
          return;
        }
        const lines = stdout
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        done({ lines, code: error ? (error.code as number) : 0 });
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

  it("still redacts PHI-bearing keys", async () => {
    const { lines } = await runScript(
      `logger.info({ requestId: "r1", input: { text: "secret" }, email: "a@b.c" }, "x");`,
    );
    expect(lines).toEqual([
      expect.objectContaining({ requestId: "r1", input: "[redacted]", email: "[redacted]" }),
    ]);
  });
});
