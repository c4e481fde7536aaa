/** A range of days of the clinic's calendar (YYYY-MM-DD, both included); null ends are open. */
export interface DayRange {
  readonly fromDay: string | null;
  readonly toDay: string | null;
}

/** The quick ranges offered beside the date fields. */
export const quickRanges = [
  { key: "today", label: "Today", days: 1 },
  { key: "week", label: "Last 7 days", days: 7 },
  { key: "month", label: "Last 30 days", days: 30 },
  { key: "all", label: "All time", days: null },
] as const;

/** One quick range's key. */
export type QuickRange = (typeof quickRanges)[number]["key"];

/** Today on the clinic's calendar. */
export function clinicToday(timeZone: string, now = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The days a quick range covers, ending today in the clinic's zone. */
export function rangeOf(key: QuickRange, timeZone: string, now = new Date()): DayRange {
  const range = quickRanges.find((r) => r.key === key);
  if (!range || range.days === null) return { fromDay: null, toDay: null };
  const today = clinicToday(timeZone, now);
  return { fromDay: addDays(today, 1 - range.days), toDay: today };
}
