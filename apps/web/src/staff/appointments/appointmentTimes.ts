import { TZDate } from "@date-fns/tz";

/**
 * Appointment times as the form shows them: a day, a start time and a length, on the clinic's
 * clock (its IANA time zone), whatever zone the device is in; the API receives UTC instants.
 */
export interface TimeFields {
  /** "2026-03-02" */
  date: string;
  /** "09:30" */
  time: string;
  /** Length in minutes, as the select's value. */
  minutes: string;
}

/** The lengths offered, in minutes. */
export const appointmentLengths = [10, 15, 20, 30, 45, 60, 90, 120] as const;

const pad = (n: number) => String(n).padStart(2, "0");
const quarterHourMs = 15 * 60_000;

/** The form's fields for an appointment starting at `startsAt` and ending at `endsAt`, on the clinic's clock. */
export function timeFieldsOf(startsAt: Date, endsAt: Date, timeZone: string): TimeFields {
  const start = new TZDate(startsAt, timeZone);
  return {
    date: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`,
    time: `${pad(start.getHours())}:${pad(start.getMinutes())}`,
    minutes: String(Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000)),
  };
}

/** The next quarter hour from now, half an hour long: the form's first suggestion. */
export function suggestedTimeFields(timeZone: string, now = new Date()): TimeFields {
  // Every zone's offset is a whole number of quarter hours, so the quarter hour is the same instant everywhere.
  const start = new Date(Math.floor(now.getTime() / quarterHourMs + 1) * quarterHourMs);
  return timeFieldsOf(start, new Date(start.getTime() + 30 * 60_000), timeZone);
}

/**
 * The instants the fields mean on the clinic's clock, or null when the day or time is not a real
 * one there: a date such as 30 February, or a time the clocks skip when summer time begins.
 * A time the clocks pass twice (summer time ending) is its first occurrence.
 */
export function instantsOf(
  fields: TimeFields,
  timeZone: string,
): { startsAt: string; endsAt: string } | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fields.date);
  const time = /^(\d{2}):(\d{2})$/.exec(fields.time);
  const minutes = Number(fields.minutes);
  if (!day || !time || !Number.isInteger(minutes) || minutes <= 0) return null;
  const [year, month, date, hours, mins] = [day[1], day[2], day[3], time[1], time[2]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const start = new TZDate(year, month - 1, date, hours, mins, timeZone);
  const startMs = start.getTime();
  if (Number.isNaN(startMs)) return null;
  if (start.getMonth() !== month - 1 || start.getDate() !== date) return null;
  if (start.getHours() !== hours || start.getMinutes() !== mins) return null;
  return {
    startsAt: new Date(startMs).toISOString(),
    endsAt: new Date(startMs + minutes * 60_000).toISOString(),
  };
}

/**
 * Midnight on the clinic's clock, `days` days after the clinic's day that contains `at`: a week
 * that spans a change of the clocks is 7 clinic days, not 7 × 24 hours.
 */
export function clinicMidnight(at: Date, timeZone: string, days = 0): Date {
  const day = new TZDate(at, timeZone);
  return new Date(new TZDate(day.getFullYear(), day.getMonth(), day.getDate() + days, timeZone).getTime());
}
