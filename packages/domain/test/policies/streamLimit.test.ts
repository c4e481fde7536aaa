import { describe, expect, it } from "vitest";
import { mayOpenStream } from "../../src/index";

describe("live streams per session", () => {
  it("OPS-1: a session opens streams up to its limit, and the next one is refused with the limit", () => {
    expect(mayOpenStream(0, 3)).toEqual({ allowed: true });
    expect(mayOpenStream(2, 3)).toEqual({ allowed: true });
    expect(mayOpenStream(3, 3)).toEqual({ allowed: false, reason: "TOO_MANY_STREAMS", details: { max: 3 } });
    expect(mayOpenStream(2_000, 3)).toMatchObject({ allowed: false, reason: "TOO_MANY_STREAMS" });
  });
});
