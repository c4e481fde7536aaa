/** "09:05" from minutes after midnight, for a time input. */
export function timeValue(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

/** Minutes after midnight from a time input's "HH:MM"; null when it is not one. */
export function minuteOf(value: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  if (!match) return null;
  const minute = Number(match[1]) * 60 + Number(match[2]);
  return minute < 24 * 60 ? minute : null;
}

/** "Tue 8 Jan, 09:00" on the clinic's wall clock, from its local date and minute. */
export function clinicTimeLabel(local: { date: string; minute: number }): string {
  const day = new Date(`${local.date}T12:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
  return `${day}, ${timeValue(local.minute)}`;
}
