import { allow, type Decision, deny } from "../shared/Decision";

/** The units a retention period is counted in (REC-3). */
export const retentionUnits = ["days", "months", "years"] as const;
/** One unit of {@link retentionUnits}. */
export type RetentionUnit = (typeof retentionUnits)[number];

/** How long the clinic keeps messages (REC-3), such as 7 years. */
export interface RetentionPeriod {
  readonly amount: number;
  readonly unit: RetentionUnit;
}

/**
 * Bounds of a retention period, per unit: at least 30 days, so a typo cannot empty the clinic's
 * conversations overnight, and at most 100 years.
 */
export const retentionLimits: Readonly<Record<RetentionUnit, { min: number; max: number }>> = {
  days: { min: 30, max: 36_500 },
  months: { min: 1, max: 1_200 },
  years: { min: 1, max: 100 },
};

/**
 * The clinic's retention setting (Clinic Settings › Records): the period, and the admin who set it,
 * who is the one recorded as deleting what the period deletes (DEL-3).
 */
export interface RetentionPolicy {
  readonly period: RetentionPeriod;
  readonly setBy: string;
  readonly setAt: Date;
}

/** REC-3: a period is a whole number of its unit within {@link retentionLimits}. */
export function checkRetentionPeriod(period: RetentionPeriod): Decision {
  const limits = retentionLimits[period.unit];
  if (
    !limits ||
    !Number.isInteger(period.amount) ||
    period.amount < limits.min ||
    period.amount > limits.max
  ) {
    return deny("INVALID_INPUT", { field: "retention" });
  }
  return allow;
}

/**
 * The moment before which messages are older than the period, counted back from `now` in UTC
 * calendar units (a month back from March 31 is March 3 or 2, as `Date` rolls over: never later
 * than the calendar month would say by more than the days the shorter month lacks).
 */
export function retentionCutoff(period: RetentionPeriod, now: Date): Date {
  const cutoff = new Date(now.getTime());
  if (period.unit === "days") cutoff.setUTCDate(cutoff.getUTCDate() - period.amount);
  if (period.unit === "months") cutoff.setUTCMonth(cutoff.getUTCMonth() - period.amount);
  if (period.unit === "years") cutoff.setUTCFullYear(cutoff.getUTCFullYear() - period.amount);
  return cutoff;
}

/**
 * A retention run of one clinic under way (REC-3): its cut-off is fixed when it starts, so a run
 * resumed after a crash deletes exactly what the first attempt would have; the counts add up
 * across attempts for the run's one audit record.
 */
export interface RetentionRun {
  readonly startedAt: Date;
  readonly cutoff: Date;
  readonly deletedMessages: number;
  readonly deletedFiles: number;
}
