import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { sharedFailureLog } from "../src/deps";

// A batch of sends whose shared unit of work failed runs its sends one by one; the operators'
// log says so, without anything a database error message could quote (SEC-5).

function capture() {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: "info" }, out) };
}

describe("the log line of a failed batch of sends (SEC-5)", () => {
  it("SEC-5: names the number of sends, the error's class and a database error's SQLSTATE, never its message or detail", async () => {
    const { lines, logger } = capture();
    const report = sharedFailureLog(logger);
    const dbError = Object.assign(
      new Error("duplicate key value violates unique constraint: (text)=(Mrs Jones has PHI-MARKER)"),
      {
        name: "PostgresError",
        code: "23505",
        detail: "Key (client_id)=(PHI-MARKER) already exists.",
      },
    );
    report(dbError, 7);
    report(new TypeError("cannot read PHI-MARKER"), 2);
    report("PHI-MARKER", 3);
    report(Object.assign(new Error("x"), { code: "PHI-MARKER-not-a-state" }), 4);
    await new Promise((done) => setImmediate(done));
    expect(
      lines.map(({ sends, err, sqlState, level, msg }) => ({ sends, err, sqlState, level, msg })),
    ).toEqual([
      {
        sends: 7,
        err: "PostgresError",
        sqlState: "23505",
        level: 40,
        msg: "a batch of sends failed as a whole; its sends ran one by one",
      },
      {
        sends: 2,
        err: "TypeError",
        sqlState: undefined,
        level: 40,
        msg: "a batch of sends failed as a whole; its sends ran one by one",
      },
      {
        sends: 3,
        err: "unknown",
        sqlState: undefined,
        level: 40,
        msg: "a batch of sends failed as a whole; its sends ran one by one",
      },
      {
        sends: 4,
        err: "Error",
        sqlState: undefined,
        level: 40,
        msg: "a batch of sends failed as a whole; its sends ran one by one",
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain("PHI-MARKER");
  });
});
