const time = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** "10:42" today, "Mar 3, 10:42" before (in the browser's time zone). */
export function formatMessageTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? time.format(at) : dayAndTime.format(at);
}

const clock = time;
const weekdayAndDate = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const fullDate = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  month: "long",
  day: "numeric",
  year: "numeric",
});

/** "10:42": the time of day alone, where a date separator above already tells the day. */
export function formatClock(iso: string): string {
  return clock.format(new Date(iso));
}

/** The browser's local calendar day of a moment, as a key ("2026-3-3"). */
export function dayKey(iso: string): string {
  const at = new Date(iso);
  return `${at.getFullYear()}-${at.getMonth() + 1}-${at.getDate()}`;
}

/** A date separator's words: "Today", "Yesterday", "Tuesday, March 3", with the year when not this one. */
export function formatDay(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (at.toDateString() === now.toDateString()) return "Today";
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (at.toDateString() === yesterday.toDateString()) return "Yesterday";
  return at.getFullYear() === now.getFullYear() ? weekdayAndDate.format(at) : fullDate.format(at);
}
