import { isTimeZone } from "../clinic/Clinic";
import { allow, type Decision, deny } from "../shared/Decision";

/** The days of the week, Sunday first, as `Date.getUTCDay()` and Intl number them. */
export const weekdays = [
  "sunday",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
] as const;
/** One day of the week. */
export type Weekday = (typeof weekdays)[number];

/** One opening period of a day, in minutes after the clinic's local midnight: opens ≤ t < closes. */
export interface OpeningPeriod {
  readonly opens: number;
  readonly closes: number;
}

/**
 * Clinic Settings › Office hours (HOURS-1 … HOURS-4): the weekly opening hours per weekday in the
 * clinic's time zone, the dates it is closed, its messaging guidelines, and whether patients who
 * write after hours get the automatic reply.
 */
export interface OfficeHours {
  /** The IANA zone the hours and closed dates are in. */
  readonly timeZone: string;
  /** Each weekday's opening periods, in order; an empty list is a day closed all day. */
  readonly weekly: Readonly<Record<Weekday, readonly OpeningPeriod[]>>;
  /** Local dates (YYYY-MM-DD) the clinic is closed all day, whatever the weekday says. */
  readonly closedDates: readonly string[];
  /** What the chat is for and what to do in an emergency (HOURS-4): at most 300 characters. */
  readonly guidelines: string;
  /** Whether a patient's message outside opening hours gets the automatic reply (HOURS-3). */
  readonly afterHoursReply: boolean;
}

/** Limits of the office hours a clinic may keep. */
export const officeHoursLimits = {
  guidelinesMaxLength: 300,
  periodsPerDay: 4,
  closedDates: 366,
  minutesPerDay: 24 * 60,
} as const;

/** Office hours a clinic starts with: Monday to Friday 9:00–17:00, no guidelines, no automatic reply. */
export function defaultOfficeHours(timeZone: string): OfficeHours {
  const workday = [{ opens: 9 * 60, closes: 17 * 60 }];
  return {
    timeZone,
    weekly: {
      sunday: [],
      monday: workday,
      tuesday: workday,
      wednesday: workday,
      thursday: workday,
      friday: workday,
      saturday: [],
    },
    closedDates: [],
    guidelines: "",
    afterHoursReply: false,
  };
}

/** A real calendar date written YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Whether office hours may be kept as given (HOURS-1, HOURS-4): a known zone, each day's periods
 * within the day, each opening before its closing and after the previous period's closing, real
 * closed dates, guidelines of at most 300 characters. The refusal names the field.
 */
export function checkOfficeHours(hours: OfficeHours): Decision {
  const invalid = (field: string, extra: Record<string, string | number> = {}) =>
    deny("INVALID_INPUT", { field, ...extra });
  if (!isTimeZone(hours.timeZone)) return invalid("timeZone");
  for (const day of weekdays) {
    const periods = hours.weekly[day];
    if (!periods || periods.length > officeHoursLimits.periodsPerDay) {
      return invalid(`weekly.${day}`, { max: officeHoursLimits.periodsPerDay });
    }
    let earliest = 0;
    for (const period of periods) {
      const { opens, closes } = period;
      if (!Number.isInteger(opens) || !Number.isInteger(closes)) return invalid(`weekly.${day}`);
      if (opens < earliest || closes <= opens || closes > officeHoursLimits.minutesPerDay) {
        return invalid(`weekly.${day}`);
      }
      earliest = closes;
    }
  }
  if (hours.closedDates.length > officeHoursLimits.closedDates) {
    return invalid("closedDates", { max: officeHoursLimits.closedDates });
  }
  if (!hours.closedDates.every(isLocalDate)) return invalid("closedDates");
  if ([...hours.guidelines.trim()].length > officeHoursLimits.guidelinesMaxLength) {
    return invalid("guidelines", { max: officeHoursLimits.guidelinesMaxLength });
  }
  return allow;
}

/** The office hours as kept: guidelines trimmed, closed dates sorted without repeats. */
export function normalizedOfficeHours(hours: OfficeHours): OfficeHours {
  return {
    ...hours,
    guidelines: hours.guidelines.trim(),
    closedDates: [...new Set(hours.closedDates)].sort(),
  };
}
