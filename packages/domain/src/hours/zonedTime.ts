import type { Weekday } from "./OfficeHours";
import { weekdays } from "./OfficeHours";

/** An instant as a clock on the wall of a time zone shows it. */
export interface WallClock {
  /** The local date, YYYY-MM-DD. */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes after local midnight. */
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's formatter. Zone arithmetic is ECMAScript's Intl (the runtime's ICU time-zone
 * database, kept current with Node's releases): no package and no port, as `isTimeZone` does.
 */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's local calendar fields of an instant. */
function fieldsOf(instant: Date, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const f = fieldsOf(instant, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** What the zone's wall clock shows at an instant. */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const f = fieldsOf(instant, timeZone);
  const date = `${String(f.year).padStart(4, "0")}-${String(f.month).padStart(2, "0")}-${String(f.day).padStart(2, "0")}`;
  return { date, weekday: weekdayOf(date), minute: f.hour * 60 + f.minute };
}

/** The weekday of a local date. */
export function weekdayOf(date: string): Weekday {
  return weekdays[new Date(`${date}T00:00:00.000Z`).getUTCDay()]!;
}

/** The local date `days` after `date`. */
export function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

/**
 * The first instant the zone's wall clock shows `minute` on `date`. A time the clock skips (the
 * hour lost when summer time starts) gives the instant the clock jumps past it, so an opening in
 * that hour opens as the clock springs forward; a time shown twice gives the first.
 */
export function instantAt(date: string, minute: number, timeZone: string): Date {
  if (minute >= 24 * 60) return instantAt(addDays(date, Math.floor(minute / 1440)), minute % 1440, timeZone);
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const local = Date.UTC(year, month - 1, day, 0, minute);
  // The offsets a day either side of the wanted time cover the transitions of every real zone.
  const guesses = [
    offsetAt(new Date(local - 86_400_000), timeZone),
    offsetAt(new Date(local + 86_400_000), timeZone),
  ]
    .map((offset) => local - offset)
    .sort((a, b) => a - b);
  const wanted = wallKey(date, minute);
  const exact = guesses.find((t) => shownKey(t, timeZone) === wanted);
  if (exact !== undefined) return new Date(exact);
  // Skipped: find the instant the clock jumps past the wanted time, to the minute.
  let lo = guesses[0]!;
  let hi = guesses[1]!;
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (shownKey(mid, timeZone) < wanted) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

function wallKey(date: string, minute: number): string {
  return `${date} ${String(minute).padStart(4, "0")}`;
}

function shownKey(instant: number, timeZone: string): string {
  const shown = wallClockAt(new Date(instant), timeZone);
  return wallKey(shown.date, shown.minute);
}
