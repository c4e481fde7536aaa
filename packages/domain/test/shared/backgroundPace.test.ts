import { describe, expect, it } from "vitest";
import { type BackgroundPace, inTurns, type Resting, restAfter } from "../../src/shared/backgroundPace";

/** A clock that moves only when a part works or rests, recording the rests. */
function fakeResting(): Resting & { rests: number[]; advance(ms: number): void } {
  let now = 0;
  const rests: number[] = [];
  return {
    rests,
    elapsedMs: () => now,
    advance(ms) {
      now += ms;
    },
    async rest(ms) {
      rests.push(ms);
      now += ms;
    },
  };
}

describe("background pace (REC-3: retention in parts that never hold up live chat)", () => {
  const fifth: BackgroundPace = { share: 0.2, longestRestMs: 2_000 };

  it("REC-3: the rest after a part is proportional to the part's own time, capped", () => {
    expect(restAfter(fifth, 10)).toBe(40);
    expect(restAfter(fifth, 100)).toBe(400);
    expect(restAfter(fifth, 10_000)).toBe(2_000);
    expect(restAfter(fifth, 0)).toBe(0);
    expect(restAfter({ share: 1, longestRestMs: 2_000 }, 500)).toBe(0);
    expect(() => restAfter({ share: 0, longestRestMs: 1 }, 1)).toThrow(RangeError);
    expect(() => restAfter({ share: 1.5, longestRestMs: 1 }, 1)).toThrow(RangeError);
  });

  it("BCAST-1: a broadcast's turns rest at least the shortest rest, at half the time as long as the turn", () => {
    const half: BackgroundPace = { share: 0.5, shortestRestMs: 100, longestRestMs: 5_000 };
    expect(restAfter(half, 400)).toBe(400);
    expect(restAfter({ ...half, share: 0.25 }, 400)).toBe(1_200);
    expect(restAfter(half, 0)).toBe(100);
    expect(restAfter(half, -5)).toBe(100);
    expect(restAfter(half, 60_000)).toBe(5_000);
    expect(restAfter({ ...half, share: 1 }, 3_000)).toBe(100);
  });

  it("REC-3: turns rest after each part that has more to do, not after the last, and stop on a failure", async () => {
    const resting = fakeResting();
    const took = [30, 5, 50];
    let i = 0;
    await inTurns(fifth, resting, async () => {
      resting.advance(took[i]!);
      i++;
      return i < took.length;
    });
    expect(i).toBe(3);
    expect(resting.rests).toEqual([120, 20]);
    // Work took a fifth of the time from the first part's start to the last one's.
    expect(resting.elapsedMs()).toBe(30 + 120 + 5 + 20 + 50);

    const failing = fakeResting();
    let parts = 0;
    await expect(
      inTurns(fifth, failing, async () => {
        parts++;
        failing.advance(1);
        if (parts === 2) throw new Error("part failed");
        return true;
      }),
    ).rejects.toThrow("part failed");
    expect(parts).toBe(2);
    expect(failing.rests).toEqual([4]);
  });
});
