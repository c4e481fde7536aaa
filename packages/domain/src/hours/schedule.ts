import type { OfficeHours } from "./OfficeHours";
import { addDays, instantAt, wallClockAt, weekdayOf } from "./zonedTime";

/** How far ahead the next opening is looked for: beyond it, the clinic has no opening to name. */
const searchDays = 400;

/** Whether the clinic is open at an instant (HOURS-1): within a period of its local day, not a closed date. */
export function isOpenAt(hours: OfficeHours, instant: Date): boolean {
  const now = instant.getTime();
  const today = wallClockAt(instant, hours.timeZone).date;
  if (hours.closedDates.includes(today)) return false;
  // A period is judged by its own instants, so the hour a DST change adds or removes counts as the clock shows it.
  return periodsOn(hours, today).some((p) => p.opens.getTime() <= now && now < p.closes.getTime());
}

/**
 * The next instant the clinic opens after `instant` (HOURS-2, HOURS-3), or null when no opening
 * is kept in the next 400 days. While it is open, that is the opening after the current period.
 */
export function nextOpening(hours: OfficeHours, instant: Date): Date | null {
  const now = instant.getTime();
  const today = wallClockAt(instant, hours.timeZone).date;
  for (let day = 0; day <= searchDays; day++) {
    const date = addDays(today, day);
    if (hours.closedDates.includes(date)) continue;
    for (const period of periodsOn(hours, date)) {
      if (period.opens.getTime() > now) return period.opens;
    }
  }
  return null;
}

/** A date's opening periods as instants, in order. */
function periodsOn(hours: OfficeHours, date: string): { opens: Date; closes: Date }[] {
  return (hours.weekly[weekdayOf(date)] ?? []).map((p) => ({
    opens: instantAt(date, p.opens, hours.timeZone),
    closes: instantAt(date, p.closes, hours.timeZone),
  }));
}
