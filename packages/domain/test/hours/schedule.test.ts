import { describe, expect, it } from "vitest";
import { checkOfficeHours, defaultOfficeHours, type OfficeHours } from "../../src/hours/OfficeHours";
import { isOpenAt, nextOpening } from "../../src/hours/schedule";
import { instantAt, wallClockAt } from "../../src/hours/zonedTime";

/** Monday to Friday 9:00–17:00, and Saturday 2:30–4:00 to open inside the hour a DST change skips. */
function hoursIn(timeZone: string, change: Partial<OfficeHours> = {}): OfficeHours {
  const base = defaultOfficeHours(timeZone);
  return { ...base, weekly: { ...base.weekly, ...change.weekly }, ...change, timeZone };
}

const at = (iso: string) => new Date(iso);

describe("HOURS-1 opening hours in the clinic's time zone", () => {
  it("HOURS-1: open within a period of the local weekday, closed outside it (New York)", () => {
    const hours = hoursIn("America/New_York");
    // Monday 2030-01-07: 9:00 EST is 14:00 UTC.
    expect(isOpenAt(hours, at("2030-01-07T13:59:00Z"))).toBe(false);
    expect(isOpenAt(hours, at("2030-01-07T14:00:00Z"))).toBe(true);
    expect(isOpenAt(hours, at("2030-01-07T21:59:59Z"))).toBe(true);
    expect(isOpenAt(hours, at("2030-01-07T22:00:00Z"))).toBe(false);
    // Saturday.
    expect(isOpenAt(hours, at("2030-01-12T15:00:00Z"))).toBe(false);
  });

  it("HOURS-1: a closed date closes the whole local day and the next opening skips it", () => {
    const hours = hoursIn("Europe/Berlin", { closedDates: ["2030-01-08"] });
    // Tuesday 2030-01-08 10:00 CET.
    expect(isOpenAt(hours, at("2030-01-08T09:00:00Z"))).toBe(false);
    expect(nextOpening(hours, at("2030-01-08T09:00:00Z"))).toEqual(at("2030-01-09T08:00:00Z"));
  });

  it("HOURS-1: the next opening after Friday's close is Monday's, in the zone", () => {
    const hours = hoursIn("America/New_York");
    expect(nextOpening(hours, at("2030-01-11T23:00:00Z"))).toEqual(at("2030-01-14T14:00:00Z"));
    // While open, the next opening is the following day's.
    expect(nextOpening(hours, at("2030-01-07T15:00:00Z"))).toEqual(at("2030-01-08T14:00:00Z"));
  });

  it("HOURS-1: no opening kept at all answers null", () => {
    const hours = hoursIn("UTC", {
      weekly: {
        sunday: [],
        monday: [],
        tuesday: [],
        wednesday: [],
        thursday: [],
        friday: [],
        saturday: [],
      },
    });
    expect(isOpenAt(hours, at("2030-01-07T12:00:00Z"))).toBe(false);
    expect(nextOpening(hours, at("2030-01-07T12:00:00Z"))).toBeNull();
  });
});

describe("HOURS-1 across DST changes (fake clock, two zones)", () => {
  for (const zone of [
    {
      name: "America/New_York",
      springSunday: "2030-03-10",
      fallSunday: "2030-11-03",
      winter: -5,
      summer: -4,
    },
    { name: "Europe/Berlin", springSunday: "2030-03-31", fallSunday: "2030-10-27", winter: 1, summer: 2 },
  ]) {
    const utcOf = (date: string, hour: number, offset: number) =>
      new Date(
        Date.UTC(
          Number(date.slice(0, 4)),
          Number(date.slice(5, 7)) - 1,
          Number(date.slice(8, 10)),
          hour - offset,
        ),
      );
    const dayAfter = (date: string) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      return d.toISOString().slice(0, 10);
    };

    it(`HOURS-1: Monday 9:00 after summer time starts is 9:00 summer time (${zone.name})`, () => {
      const hours = hoursIn(zone.name);
      const sunday = zone.springSunday;
      const monday = dayAfter(sunday);
      const opening = nextOpening(hours, utcOf(sunday, 12, zone.winter));
      expect(opening).toEqual(utcOf(monday, 9, zone.summer));
      expect(wallClockAt(opening!, zone.name)).toEqual({ date: monday, weekday: "monday", minute: 540 });
      expect(isOpenAt(hours, utcOf(monday, 8, zone.summer))).toBe(false);
      expect(isOpenAt(hours, utcOf(monday, 9, zone.summer))).toBe(true);
      expect(isOpenAt(hours, utcOf(monday, 16, zone.summer))).toBe(true);
      expect(isOpenAt(hours, utcOf(monday, 17, zone.summer))).toBe(false);
    });

    it(`HOURS-1: Monday 9:00 after summer time ends is 9:00 standard time (${zone.name})`, () => {
      const hours = hoursIn(zone.name);
      const sunday = zone.fallSunday;
      const monday = dayAfter(sunday);
      const opening = nextOpening(hours, utcOf(sunday, 12, zone.summer));
      expect(opening).toEqual(utcOf(monday, 9, zone.winter));
      expect(isOpenAt(hours, utcOf(monday, 9, zone.winter))).toBe(true);
      expect(isOpenAt(hours, utcOf(monday, 17, zone.winter))).toBe(false);
    });

    it(`HOURS-1: a Sunday period across the change is open for the hours the clock shows (${zone.name})`, () => {
      // Sunday 0:00–6:00: one hour shorter on the spring Sunday, one hour longer on the autumn one.
      const hours = hoursIn(zone.name, {
        weekly: { ...defaultOfficeHours(zone.name).weekly, sunday: [{ opens: 0, closes: 360 }] },
      });
      const spring = zone.springSunday;
      const fall = zone.fallSunday;
      expect(isOpenAt(hours, utcOf(spring, 5, zone.summer))).toBe(true);
      expect(isOpenAt(hours, utcOf(spring, 6, zone.summer))).toBe(false);
      expect(isOpenAt(hours, utcOf(fall, 5, zone.winter))).toBe(true);
      expect(isOpenAt(hours, utcOf(fall, 6, zone.winter))).toBe(false);
      const springLength =
        instantAt(spring, 360, zone.name).getTime() - instantAt(spring, 0, zone.name).getTime();
      const fallLength = instantAt(fall, 360, zone.name).getTime() - instantAt(fall, 0, zone.name).getTime();
      expect(springLength).toBe(5 * 3_600_000);
      expect(fallLength).toBe(7 * 3_600_000);
    });
  }

  it("HOURS-1: an opening in the hour the clock skips opens as the clock springs forward", () => {
    // New York skips 2:00–3:00 on 2030-03-10: 2:30 opens at 3:00 EDT (7:00 UTC).
    expect(instantAt("2030-03-10", 150, "America/New_York")).toEqual(at("2030-03-10T07:00:00Z"));
    // Berlin skips 2:00–3:00 on 2030-03-31: 3:00 CEST is 1:00 UTC.
    expect(instantAt("2030-03-31", 150, "Europe/Berlin")).toEqual(at("2030-03-31T01:00:00Z"));
    // A time shown twice (New York's 1:30 on 2030-11-03) is its first showing, in summer time.
    expect(instantAt("2030-11-03", 90, "America/New_York")).toEqual(at("2030-11-03T05:30:00Z"));
  });
});

describe("HOURS-1, HOURS-4 office hours a clinic may keep", () => {
  const valid = defaultOfficeHours("Europe/Paris");

  it("HOURS-1: the default hours are valid", () => {
    expect(checkOfficeHours(valid)).toEqual({ allowed: true });
  });

  it("HOURS-4: guidelines of up to 300 characters, counted as characters", () => {
    expect(checkOfficeHours({ ...valid, guidelines: "🩺".repeat(300) }).allowed).toBe(true);
    expect(checkOfficeHours({ ...valid, guidelines: "x".repeat(301) })).toEqual({
      allowed: false,
      reason: "INVALID_INPUT",
      details: { field: "guidelines", max: 300 },
    });
  });

  it("HOURS-1: an unknown zone, overlapping or inverted periods and unreal dates are refused by field", () => {
    const field = (h: OfficeHours) => {
      const d = checkOfficeHours(h);
      return d.allowed ? null : d.details?.field;
    };
    expect(field({ ...valid, timeZone: "Mars/Olympus" })).toBe("timeZone");
    expect(field({ ...valid, weekly: { ...valid.weekly, monday: [{ opens: 600, closes: 540 }] } })).toBe(
      "weekly.monday",
    );
    expect(
      field({
        ...valid,
        weekly: {
          ...valid.weekly,
          tuesday: [
            { opens: 540, closes: 720 },
            { opens: 700, closes: 800 },
          ],
        },
      }),
    ).toBe("weekly.tuesday");
    expect(field({ ...valid, weekly: { ...valid.weekly, friday: [{ opens: 0, closes: 1441 }] } })).toBe(
      "weekly.friday",
    );
    expect(field({ ...valid, closedDates: ["2030-02-30"] })).toBe("closedDates");
  });
});
