import { addDays, instantAt, wallClockAt, weekdayOf } from "../hours/zonedTime";

/** Bounds of a time to send later (SCHED-1). */
export const sendLaterLimits = {
  /** The furthest a message may be scheduled ahead. */
  maxDaysAhead: 365,
} as const;

/** A time on the clinic's wall clock: the local date (YYYY-MM-DD) and minute after midnight. */
export interface LocalTime {
  readonly date: string;
  readonly minute: number;
}

/** A quick pick of "Send later": a label, its wall-clock time and its instant. */
export interface QuickPick extends LocalTime {
  readonly label: string;
  readonly at: Date;
}

/**
 * The instant a local date and time of the clinic's zone names (SCHED-1). A time the clock skips
 * when summer time starts goes out as the clock springs forward; one it shows twice, at the first.
 */
export function scheduledInstant(date: string, minute: number, timeZone: string): Date {
  return instantAt(date, minute, timeZone);
}

/**
 * The quick picks of "Send later" (SCHED-1): later today at 13:00 or 17:00 while those are ahead,
 * tomorrow at 9:00 and next Monday at 9:00, on the clinic's wall clock.
 */
export function quickPicks(now: Date, timeZone: string): QuickPick[] {
  const today = wallClockAt(now, timeZone);
  const pick = (label: string, date: string, minute: number): QuickPick => ({
    label,
    date,
    minute,
    at: scheduledInstant(date, minute, timeZone),
  });
  const picks: QuickPick[] = [];
  if (today.minute < 13 * 60) picks.push(pick("This afternoon 13:00", today.date, 13 * 60));
  else if (today.minute < 17 * 60) picks.push(pick("This evening 17:00", today.date, 17 * 60));
  picks.push(pick("Tomorrow 9:00", addDays(today.date, 1), 9 * 60));
  let monday = addDays(today.date, 1);
  while (weekdayOf(monday) !== "monday") monday = addDays(monday, 1);
  if (monday !== addDays(today.date, 1)) picks.push(pick("Monday 9:00", monday, 9 * 60));
  return picks;
}

/** Whether a time to send is ahead of now and within {@link sendLaterLimits}. */
export function isSendableLater(sendAt: Date, now: Date): boolean {
  const ahead = sendAt.getTime() - now.getTime();
  return ahead > 0 && ahead <= sendLaterLimits.maxDaysAhead * 86_400_000;
}
