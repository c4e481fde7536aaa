import { describe, expect, it } from "vitest";
import { isSendableLater, quickPicks, scheduledInstant } from "../../src/scheduled/index";

describe("SCHED-1 times to send later, on the clinic's wall clock", () => {
  it("SCHED-1: 9:00 is 9:00 on the clinic's wall clock either side of DST in New York", () => {
    // EST (UTC−5) until Sunday 8 March 2026 2:00, EDT (UTC−4) after.
    expect(scheduledInstant("2026-03-07", 9 * 60, "America/New_York").toISOString()).toBe(
      "2026-03-07T14:00:00.000Z",
    );
    expect(scheduledInstant("2026-03-08", 9 * 60, "America/New_York").toISOString()).toBe(
      "2026-03-08T13:00:00.000Z",
    );
    // Autumn: EDT until Sunday 1 November 2026 2:00, EST after.
    expect(scheduledInstant("2026-10-31", 9 * 60, "America/New_York").toISOString()).toBe(
      "2026-10-31T13:00:00.000Z",
    );
    expect(scheduledInstant("2026-11-01", 9 * 60, "America/New_York").toISOString()).toBe(
      "2026-11-01T14:00:00.000Z",
    );
  });

  it("SCHED-1: 9:00 is 9:00 on the clinic's wall clock either side of DST in Berlin", () => {
    // CET (UTC+1) until Sunday 29 March 2026 2:00, CEST (UTC+2) after; back on 25 October.
    expect(scheduledInstant("2026-03-28", 9 * 60, "Europe/Berlin").toISOString()).toBe(
      "2026-03-28T08:00:00.000Z",
    );
    expect(scheduledInstant("2026-03-29", 9 * 60, "Europe/Berlin").toISOString()).toBe(
      "2026-03-29T07:00:00.000Z",
    );
    expect(scheduledInstant("2026-10-24", 9 * 60, "Europe/Berlin").toISOString()).toBe(
      "2026-10-24T07:00:00.000Z",
    );
    expect(scheduledInstant("2026-10-25", 9 * 60, "Europe/Berlin").toISOString()).toBe(
      "2026-10-25T08:00:00.000Z",
    );
  });

  it("SCHED-1: a time the clock skips goes as it springs forward; one it shows twice, at the first", () => {
    // 2:30 does not exist on 8 March 2026 in New York: the clock jumps from 2:00 EST to 3:00 EDT.
    expect(scheduledInstant("2026-03-08", 150, "America/New_York").toISOString()).toBe(
      "2026-03-08T07:00:00.000Z",
    );
    // 2:30 happens twice on 25 October 2026 in Berlin: the first is still CEST.
    expect(scheduledInstant("2026-10-25", 150, "Europe/Berlin").toISOString()).toBe(
      "2026-10-25T00:30:00.000Z",
    );
  });

  it("SCHED-1: the quick picks are tomorrow and next Monday at 9:00 in the clinic's zone, across DST", () => {
    // Saturday 7 March 2026, 10:00 in New York (EST); tomorrow is the first day of EDT.
    const ny = quickPicks(new Date("2026-03-07T15:00:00Z"), "America/New_York");
    expect(ny.map((p) => [p.label, p.date, p.minute, p.at.toISOString()])).toEqual([
      ["This afternoon 13:00", "2026-03-07", 780, "2026-03-07T18:00:00.000Z"],
      ["Tomorrow 9:00", "2026-03-08", 540, "2026-03-08T13:00:00.000Z"],
      ["Monday 9:00", "2026-03-09", 540, "2026-03-09T13:00:00.000Z"],
    ]);
    // The same instant is Saturday 16:00 in Berlin (CET): this evening, then Sunday and Monday.
    const berlin = quickPicks(new Date("2026-03-07T15:00:00Z"), "Europe/Berlin");
    expect(berlin.map((p) => [p.label, p.date, p.at.toISOString()])).toEqual([
      ["This evening 17:00", "2026-03-07", "2026-03-07T16:00:00.000Z"],
      ["Tomorrow 9:00", "2026-03-08", "2026-03-08T08:00:00.000Z"],
      ["Monday 9:00", "2026-03-09", "2026-03-09T08:00:00.000Z"],
    ]);
    // Sunday evening: tomorrow is Monday, offered once.
    const sunday = quickPicks(new Date("2026-03-29T20:00:00Z"), "Europe/Berlin");
    expect(sunday.map((p) => [p.label, p.at.toISOString()])).toEqual([
      ["Tomorrow 9:00", "2026-03-30T07:00:00.000Z"],
    ]);
  });

  it("SCHED-1: a time to send must be ahead, and within a year", () => {
    const now = new Date("2026-03-07T15:00:00Z");
    expect(isSendableLater(now, now)).toBe(false);
    expect(isSendableLater(new Date(now.getTime() - 1), now)).toBe(false);
    expect(isSendableLater(new Date(now.getTime() + 60_000), now)).toBe(true);
    expect(isSendableLater(new Date(now.getTime() + 366 * 86_400_000), now)).toBe(false);
  });
});
