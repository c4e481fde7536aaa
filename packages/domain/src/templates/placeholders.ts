import { wallClockAt } from "../hours/zonedTime";

/**
 * The placeholders a template may use (TPL-1), as written in its text between braces:
 * `{patient first name}`. The list is fixed: a template with any other is refused.
 */
export const placeholders = [
  "patient first name",
  "patient name",
  "author name",
  "clinic name",
  "next appointment date",
  "next appointment time",
  "next appointment practitioner",
] as const;

/** One placeholder of {@link placeholders}. */
export type Placeholder = (typeof placeholders)[number];

/** Each placeholder's value for one conversation; null where there is none (no patient, no appointment). */
export type PlaceholderValues = Readonly<Record<Placeholder, string | null>>;

/** A template filled in: the text, and the marks left where a value was missing, in order of appearance. */
export interface FilledTemplate {
  readonly text: string;
  /** Each missing value's mark as it stands in `text`, such as `[patient first name]`; once each. */
  readonly missing: readonly string[];
}

const placeholderPattern = /\{([^{}\n]{1,60})\}/g;

/** The mark a placeholder without a value leaves in the text, for its author to edit before sending. */
export function missingMark(placeholder: Placeholder): string {
  return `[${placeholder}]`;
}

/** The placeholders a template text uses that are not in the fixed list, once each. */
export function unknownPlaceholders(text: string): string[] {
  const known = new Set<string>(placeholders);
  const unknown = new Set<string>();
  for (const match of text.matchAll(placeholderPattern)) {
    const name = normalise(match[1]!);
    if (!known.has(name)) unknown.add(name);
  }
  return [...unknown];
}

/**
 * Fills a template's placeholders with their values (TPL-1). A placeholder without a value stays
 * visibly marked (`[patient first name]`) and is named in `missing`: the composer refuses to send
 * while a mark is left. Unknown placeholders are left as written.
 */
export function fillTemplate(text: string, values: PlaceholderValues): FilledTemplate {
  const missing = new Set<string>();
  const filled = text.replace(placeholderPattern, (whole, raw: string) => {
    const name = normalise(raw);
    if (!isPlaceholder(name)) return whole;
    const value = values[name];
    if (value !== null && value.trim() !== "") return value;
    const mark = missingMark(name);
    missing.add(mark);
    return mark;
  });
  return { text: filled, missing: [...missing] };
}

/** The marks of missing values still in a text: sending waits until none is left (TPL-1). */
export function marksLeft(text: string, missing: readonly string[]): string[] {
  return missing.filter((mark) => text.includes(mark));
}

/** What the placeholders are filled from: the conversation's patient, the author, the clinic and the next appointment. */
export interface PlaceholderSources {
  readonly patientName: string | null;
  readonly authorName: string;
  readonly clinic: { readonly name: string; readonly timeZone: string };
  readonly nextAppointment: { readonly startsAt: Date; readonly practitionerName: string | null } | null;
}

/** The placeholders' values from their sources; dates and times on the clinic's wall clock. */
export function placeholderValues(sources: PlaceholderSources): PlaceholderValues {
  const patientName = sources.patientName?.trim() || null;
  const next = sources.nextAppointment;
  const wall = next ? wallClockAt(next.startsAt, sources.clinic.timeZone) : null;
  return {
    "patient first name": patientName ? (patientName.split(/\s+/)[0] ?? null) : null,
    "patient name": patientName,
    "author name": sources.authorName.trim() || null,
    "clinic name": sources.clinic.name.trim() || null,
    "next appointment date": wall ? longDate(wall.date) : null,
    "next appointment time": wall ? clockTime(wall.minute) : null,
    "next appointment practitioner": next?.practitionerName?.trim() || null,
  };
}

const weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "Tuesday, March 3, 2026": spelled out, so no reader mistakes day for month. */
export function longDate(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const weekday = weekdayNames[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
  return `${weekday}, ${monthNames[month - 1]} ${day}, ${year}`;
}

/** "9:05 AM" from minutes after local midnight. */
export function clockTime(minute: number): string {
  const hour = Math.floor(minute / 60);
  const shown = hour % 12 === 0 ? 12 : hour % 12;
  return `${shown}:${String(minute % 60).padStart(2, "0")} ${hour < 12 ? "AM" : "PM"}`;
}

function normalise(raw: string): string {
  return raw.trim().replace(/\s+/g, " ").toLowerCase();
}

function isPlaceholder(name: string): name is Placeholder {
  return (placeholders as readonly string[]).includes(name);
}
