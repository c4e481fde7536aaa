import { describe, expect, it } from "vitest";
import { type CountedError, codeOf, errorName, repeatsCounted } from "../src/start/errorFacts";

describe("error facts for the log (SEC-5: class and code, never a message)", () => {
  it("names an error by its class and a driver's code only", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432 for patient Jane"), {
      code: "ECONNREFUSED",
    });
    expect(errorName(refused)).toBe("Error");
    expect(codeOf(refused)).toBe("ECONNREFUSED");
    expect(errorName({ name: "not a name, Jane Doe" })).toBe("unknown");
    expect(codeOf({ code: "free text with a value" })).toBeNull();
    expect(errorName(null)).toBe("unknown");
  });

  it("OPS-5: an error repeated while a server is down is written once per kind per interval, with how many it left out", () => {
    let now = 0;
    const lines: CountedError[] = [];
    const log = repeatsCounted(
      (line) => lines.push(line),
      10_000,
      () => now,
    );
    const down = Object.assign(new Error("socket closed"), { code: "ENOENT" });
    const refused = Object.assign(new Error("refused"), { code: "ECONNREFUSED" });
    for (let i = 0; i < 16; i++) {
      log(down);
      now += 100;
    }
    log(refused);
    expect(lines).toEqual([
      { err: "Error", code: "ENOENT" },
      { err: "Error", code: "ECONNREFUSED" },
    ]);
    now = 10_000;
    log(down);
    expect(lines[2]).toEqual({ err: "Error", code: "ENOENT", repeated: 15 });
    now = 25_000;
    log(down);
    expect(lines[3]).toEqual({ err: "Error", code: "ENOENT" });
    expect(JSON.stringify(lines)).not.toContain("Jane");
  });
});
