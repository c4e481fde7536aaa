import { describe, expect, it } from "vitest";
import { pauseAfter } from "../../src/shared/dutyCycle";

describe("a duty cycle's pause", () => {
  const half = { share: 0.5, leastPauseMs: 100, mostPauseMs: 5_000 };

  it("is in proportion to the step's time: at half the time, as long as the step; at a quarter, three times as long", () => {
    expect(pauseAfter(400, half)).toBe(400);
    expect(pauseAfter(400, { ...half, share: 0.25 })).toBe(1_200);
  });

  it("never goes below the least pause nor above the most, and a share of 1 pauses the least", () => {
    expect(pauseAfter(0, half)).toBe(100);
    expect(pauseAfter(-5, half)).toBe(100);
    expect(pauseAfter(60_000, half)).toBe(5_000);
    expect(pauseAfter(3_000, { ...half, share: 1 })).toBe(100);
  });

  it("refuses a share outside (0, 1]", () => {
    expect(() => pauseAfter(10, { ...half, share: 0 })).toThrow(RangeError);
    expect(() => pauseAfter(10, { ...half, share: 1.5 })).toThrow(RangeError);
  });
});
