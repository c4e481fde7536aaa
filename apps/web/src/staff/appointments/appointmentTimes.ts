/**
 * Appointment times as the form shows them: a day, a start time and a length, in the browser's
 * time zone; the API receives UTC instants. (When the clinic's own zone is known, it replaces the
 * browser's here and nowhere else.)
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

/** The form's fields for an appointment starting at `startsAt` and ending at `endsAt`. */
export function timeFieldsOf(startsAt: Date, endsAt: Date): TimeFields {
  return {
    date: `${startsAt.getFullYear()}-${pad(startsAt.getMonth() + 1)}-${pad(startsAt.getDate())}`,
    time: `${pad(startsAt.getHours())}:${pad(startsAt.getMinutes())}`,
    minutes: String(Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000)),
  };
}

/** The next quarter hour from now, half an hour long: the form's first suggestion. */
export function suggestedTimeFields(now = new Date()): TimeFields {
  const start = new Date(now);
  start.setSeconds(0, 0);
  start.setMinutes(Math.ceil((start.getMinutes() + 1) / 15) * 15);
  return timeFieldsOf(start, new Date(start.getTime() + 30 * 60_000));
}

/** The instants the fields mean, or null when the day or time is not a real one. */
export function instantsOf(fields: TimeFields): { startsAt: string; endsAt: string } | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(fields.date);
  const time = /^(\d{2}):(\d{2})$/.exec(fields.time);
  const minutes = Number(fields.minutes);
  if (!day || !time || !Number.isInteger(minutes) || minutes <= 0) return null;
  const start = new Date(
    Number(day[1]),
    Number(day[2]) - 1,
    Number(day[3]),
    Number(time[1]),
    Number(time[2]),
  );
  if (Number.isNaN(start.getTime()) || start.getDate() !== Number(day[3])) return null;
  return {
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + minutes * 60_000).toISOString(),
  };
}
