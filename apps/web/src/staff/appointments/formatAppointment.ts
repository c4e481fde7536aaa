/**
 * Appointment days and times on the clinic's clock (its IANA time zone), whatever zone the device
 * is in: the front desk books and reads them as the clinic's wall clock shows them.
 */
interface ZoneFormats {
  readonly day: Intl.DateTimeFormat;
  readonly dayOfYear: Intl.DateTimeFormat;
  readonly year: Intl.DateTimeFormat;
  readonly time: Intl.DateTimeFormat;
  readonly zoned: Intl.DateTimeFormat;
}
const formats = new Map<string, ZoneFormats>();

function formatsFor(timeZone: string): ZoneFormats {
  let found = formats.get(timeZone);
  if (!found) {
    found = {
      day: new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric", timeZone }),
      dayOfYear: new Intl.DateTimeFormat(undefined, {
        weekday: "long",
        month: "long",
        day: "numeric",
        year: "numeric",
        timeZone,
      }),
      year: new Intl.DateTimeFormat("en-US", { year: "numeric", timeZone }),
      time: new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZone }),
      zoned: new Intl.DateTimeFormat(undefined, {
        hour: "numeric",
        minute: "2-digit",
        timeZone,
        timeZoneName: "short",
      }),
    };
    formats.set(timeZone, found);
  }
  return found;
}

/** "Monday, March 3"; with the year when it is not the clinic's current year ("Monday, March 15, 2027"). */
export function formatDay(iso: string, timeZone: string, now = new Date()): string {
  const { day, dayOfYear, year } = formatsFor(timeZone);
  const at = new Date(iso);
  return year.format(at) === year.format(now) ? day.format(at) : dayOfYear.format(at);
}

/**
 * "9:00 AM – 9:30 AM"; when the clocks change during the appointment, each end names its offset
 * ("1:30 AM PDT – 1:15 AM PST"), since the same wall time then means two instants.
 */
export function formatSlot(startsAt: string, endsAt: string, timeZone: string): string {
  const { time, zoned } = formatsFor(timeZone);
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  if (offsetName(zoned, start) !== offsetName(zoned, end))
    return `${zoned.format(start)} – ${zoned.format(end)}`;
  return `${time.format(start)} – ${time.format(end)}`;
}

function offsetName(format: Intl.DateTimeFormat, at: Date): string {
  return format.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "";
}

/** "Pacific Time (America/Los_Angeles)": the clinic's zone as the pages name it. */
export function timeZoneName(timeZone: string): string {
  const generic = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longGeneric" })
    .formatToParts(new Date())
    .find((part) => part.type === "timeZoneName")?.value;
  return generic && generic !== timeZone ? `${generic} (${timeZone})` : timeZone;
}

/** Status words as the front desk says them. */
export const statusNames: Readonly<Record<string, string>> = {
  scheduled: "Scheduled",
  completed: "Completed",
  cancelled: "Cancelled",
};
