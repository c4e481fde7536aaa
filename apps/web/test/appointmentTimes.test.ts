import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clinicMidnight,
  instantsOf,
  suggestedTimeFields,
  timeFieldsOf,
} from "../src/staff/appointments/appointmentTimes";
import { formatDay, formatSlot, timeZoneName } from "../src/staff/appointments/formatAppointment";

const la = "America/Los_Angeles";

describe("ADMIN-4: appointment times on the clinic's clock, whatever the device's zone", () => {
  // The device is far from the clinic: nothing may read the device's own zone.
  const deviceZone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "Asia/Tokyo";
  });
  afterAll(() => {
    if (deviceZone === undefined) delete process.env.TZ;
    else process.env.TZ = deviceZone;
  });

  it("ADMIN-4: 10:00 typed for a Los Angeles clinic is 10:00 Pacific, before and after summer time begins", () => {
    // 10 March 2027: Pacific Standard Time (UTC-8).
    expect(instantsOf({ date: "2027-03-10", time: "10:00", minutes: "30" }, la)).toEqual({
      startsAt: "2027-03-10T18:00:00.000Z",
      endsAt: "2027-03-10T18:30:00.000Z",
    });
    // 15 March 2027, the day after the clocks go forward: Pacific Daylight Time (UTC-7).
    expect(instantsOf({ date: "2027-03-15", time: "10:00", minutes: "30" }, la)).toEqual({
      startsAt: "2027-03-15T17:00:00.000Z",
      endsAt: "2027-03-15T17:30:00.000Z",
    });
    expect(instantsOf({ date: "2027-03-15", time: "10:00", minutes: "30" }, "UTC")?.startsAt).toBe(
      "2027-03-15T10:00:00.000Z",
    );
  });

  it("ADMIN-4: a time the clocks skip, or a day that does not exist, is refused; a time passed twice is its first", () => {
    expect(instantsOf({ date: "2027-03-14", time: "02:30", minutes: "30" }, la)).toBeNull();
    expect(instantsOf({ date: "2027-02-30", time: "10:00", minutes: "30" }, la)).toBeNull();
    expect(instantsOf({ date: "2027-03-14", time: "03:30", minutes: "30" }, la)?.startsAt).toBe(
      "2027-03-14T10:30:00.000Z",
    );
    // 1 November 2026: 01:30 happens in PDT, then again in PST; the first is meant.
    expect(instantsOf({ date: "2026-11-01", time: "01:30", minutes: "60" }, la)).toEqual({
      startsAt: "2026-11-01T08:30:00.000Z",
      endsAt: "2026-11-01T09:30:00.000Z",
    });
  });

  it("ADMIN-4: the form shows a booked appointment on the clinic's clock, and its fields mean the same instants again", () => {
    const startsAt = new Date("2027-03-15T17:00:00.000Z");
    const endsAt = new Date("2027-03-15T17:45:00.000Z");
    const fields = timeFieldsOf(startsAt, endsAt, la);
    expect(fields).toEqual({ date: "2027-03-15", time: "10:00", minutes: "45" });
    expect(instantsOf(fields, la)).toEqual({
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    });
    // Late evening in Los Angeles is already the next day in UTC and in Tokyo.
    expect(timeFieldsOf(new Date("2027-01-06T06:30:00Z"), new Date("2027-01-06T07:00:00Z"), la)).toEqual({
      date: "2027-01-05",
      time: "22:30",
      minutes: "30",
    });
  });

  it("ADMIN-4: the suggestion is the next quarter hour on the clinic's clock", () => {
    expect(suggestedTimeFields(la, new Date("2027-01-06T06:31:10Z"))).toEqual({
      date: "2027-01-05",
      time: "22:45",
      minutes: "30",
    });
    expect(suggestedTimeFields(la, new Date("2027-01-06T06:45:00Z")).time).toBe("23:00");
  });

  it("ADMIN-4: days and times read on the clinic's clock; an appointment across the change of the clocks names both offsets", () => {
    const midJanuary = new Date("2027-01-15T12:00:00Z");
    expect(formatDay("2027-01-06T06:30:00Z", la, midJanuary)).toBe("Tuesday, January 5");
    // Another year than the clinic's current one says which.
    expect(formatDay("2028-03-15T17:00:00Z", la, midJanuary)).toBe("Wednesday, March 15, 2028");
    // New Year's Eve in Los Angeles while it is already New Year in UTC: still this year.
    expect(formatDay("2027-12-31T20:00:00Z", la, new Date("2028-01-01T01:00:00Z"))).toBe(
      "Friday, December 31",
    );
    expect(formatSlot("2027-01-06T06:30:00Z", "2027-01-06T07:00:00Z", la)).toMatch(/^10:30\sPM – 11:00\sPM$/);
    expect(formatSlot("2026-11-01T08:30:00Z", "2026-11-01T09:45:00Z", la)).toMatch(
      /^1:30\sAM PDT – 1:45\sAM PST$/,
    );
    expect(timeZoneName(la)).toBe("Pacific Time (America/Los_Angeles)");
    expect(timeZoneName("UTC")).toMatch(/UTC/);
  });

  it("ADMIN-4: a week of the list is seven clinic days, midnight to midnight, across the change of the clocks", () => {
    const monday = clinicMidnight(new Date("2027-03-09T03:00:00Z"), la);
    // 03:00 UTC on 9 March is the evening of 8 March in Los Angeles.
    expect(monday.toISOString()).toBe("2027-03-08T08:00:00.000Z");
    expect(clinicMidnight(monday, la, 7).toISOString()).toBe("2027-03-15T07:00:00.000Z");
    expect(clinicMidnight(monday, la, -7).toISOString()).toBe("2027-03-01T08:00:00.000Z");
  });
});
