import { describe, expect, it } from "vitest";
import { uuidV7Ids } from "../../src/system/system";

const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidV7Ids", () => {
  it("makes version 7 UUIDs, unique and increasing even many to a millisecond, across refills of the random pool", () => {
    // 4 KiB of pool holds 256 ids: 20,000 ids refill it many times.
    const ids = Array.from({ length: 20_000 }, () => uuidV7Ids.newId());
    for (const id of ids) expect(id).toMatch(v7);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it("carries the time it was made in its first 48 bits", () => {
    const before = Date.now();
    const id = uuidV7Ids.newId();
    const after = Date.now();
    const ms = Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16);
    // Ids made in one millisecond may run ahead of the clock only when the counter wraps.
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it("does not repeat random bits between ids", () => {
    const tails = Array.from({ length: 5_000 }, () => uuidV7Ids.newId().slice(-12));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
