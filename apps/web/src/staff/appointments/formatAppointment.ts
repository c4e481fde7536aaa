const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

/** "Monday, March 3". */
export function formatDay(iso: string): string {
  return dayFormat.format(new Date(iso));
}

/** "9:00 – 9:30". */
export function formatSlot(startsAt: string, endsAt: string): string {
  return `${timeFormat.format(new Date(startsAt))} – ${timeFormat.format(new Date(endsAt))}`;
}

/** Status words as the front desk says them. */
export const statusNames: Readonly<Record<string, string>> = {
  scheduled: "Scheduled",
  completed: "Completed",
  cancelled: "Cancelled",
};
