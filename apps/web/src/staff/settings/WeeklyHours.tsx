import { useId, useState } from "react";
import type { Inputs } from "../../rpc/types";

type OfficeHours = Inputs["inbox"]["changeOfficeHours"];
export type Weekday = keyof OfficeHours["weekly"];
type Periods = OfficeHours["weekly"][Weekday];

export const days: readonly (readonly [Weekday, string])[] = [
  ["monday", "Monday"],
  ["tuesday", "Tuesday"],
  ["wednesday", "Wednesday"],
  ["thursday", "Thursday"],
  ["friday", "Friday"],
  ["saturday", "Saturday"],
  ["sunday", "Sunday"],
];

/** The domain's limit (officeHoursLimits.periodsPerDay): a day with a break or two. */
const periodsPerDay = 4;
const endOfDay = 24 * 60;
/** A day opened with one click: the clinic's usual working day. */
const usualDay = { opens: 9 * 60, closes: 17 * 60 };

const asTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
const asMinutes = (time: string) => {
  const [h = "0", m = "0"] = time.split(":");
  return Number(h) * 60 + Number(m);
};

/**
 * The period "Add opening hours" appends: from an hour after the day's last period closes, for up
 * to two hours; null when the day has no room left for one. The admin then sets its times.
 */
function nextPeriod(periods: Periods): Periods[number] | null {
  const last = periods[periods.length - 1];
  if (!last) return usualDay;
  const opens = last.closes + 60;
  return opens < endOfDay ? { opens, closes: Math.min(opens + 120, endOfDay) } : null;
}

/**
 * HOURS-1: each weekday's opening periods (up to four, e.g. a morning and an afternoon around a
 * lunch break), and copying one day's hours to other days. `invalidDay` is the day the server
 * refused, with the sentence naming it.
 */
export function WeeklyHours(props: {
  readonly weekly: OfficeHours["weekly"];
  readonly onChange: (weekly: OfficeHours["weekly"]) => void;
  readonly invalid: { readonly day: Weekday; readonly message: string } | null;
}) {
  const { weekly, onChange, invalid } = props;
  const setDay = (day: Weekday, periods: Periods) => onChange({ ...weekly, [day]: periods });
  return (
    <div className="office-hours__week">
      {days.map(([day, name]) => (
        <DayHours
          key={day}
          day={day}
          name={name}
          periods={weekly[day]}
          onChange={(periods) => setDay(day, periods)}
          onCopy={(targets) =>
            onChange({
              ...weekly,
              ...Object.fromEntries(targets.map((target) => [target, weekly[day].map((p) => ({ ...p }))])),
            })
          }
          error={invalid?.day === day ? invalid.message : null}
        />
      ))}
    </div>
  );
}

function DayHours(props: {
  readonly day: Weekday;
  readonly name: string;
  readonly periods: Periods;
  readonly onChange: (periods: Periods) => void;
  readonly onCopy: (days: Weekday[]) => void;
  readonly error: string | null;
}) {
  const { day, name, periods, onChange, error } = props;
  const id = useId();
  const next = nextPeriod(periods);
  const errorId = `${id}-error`;
  const setPeriod = (index: number, change: Partial<Periods[number]>) =>
    onChange(periods.map((p, i) => (i === index ? { ...p, ...change } : p)));
  return (
    <fieldset
      className={`office-hours__day${error ? " office-hours__day--invalid" : ""}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>{name}</legend>
      <div className="office-hours__day-head">
        <label className="office-hours__open">
          <input
            type="checkbox"
            checked={periods.length > 0}
            onChange={(event) => onChange(event.currentTarget.checked ? [usualDay] : [])}
          />{" "}
          Open on {name}
        </label>
        {periods.length > 0 ? <CopyDay day={day} name={name} onCopy={props.onCopy} /> : null}
      </div>
      {periods.length === 0 ? <p className="hint">Closed all day</p> : null}
      <ol className="office-hours__periods">
        {periods.map((period, index) => {
          const which = periods.length > 1 ? ` (period ${index + 1})` : "";
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: a period is its place in the day
            <li key={index} className="office-hours__period">
              <label>
                <span className="visually-hidden">{name} </span>
                <span>Opens</span>
                <span className="visually-hidden"> at{which}</span>
                <input
                  type="time"
                  required
                  aria-invalid={error ? true : undefined}
                  value={asTime(period.opens)}
                  onChange={(event) => setPeriod(index, { opens: asMinutes(event.currentTarget.value) })}
                />
              </label>
              <label>
                <span className="visually-hidden">{name} </span>
                <span>Closes</span>
                <span className="visually-hidden"> at{which}</span>
                <input
                  type="time"
                  required
                  aria-invalid={error ? true : undefined}
                  value={asTime(period.closes)}
                  // Midnight as a closing time is the end of the day.
                  onChange={(event) =>
                    setPeriod(index, { closes: asMinutes(event.currentTarget.value) || endOfDay })
                  }
                />
              </label>
              {periods.length > 1 ? (
                <button
                  type="button"
                  className="button button--small button--ghost"
                  onClick={() => onChange(periods.filter((_, i) => i !== index))}
                >
                  Remove
                  <span className="visually-hidden">
                    {" "}
                    {name} period {index + 1}
                  </span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ol>
      {periods.length > 0 && periods.length < periodsPerDay && next ? (
        <button type="button" className="button button--small" onClick={() => onChange([...periods, next])}>
          Add opening hours<span className="visually-hidden"> on {name}</span>
        </button>
      ) : null}
      {periods.length >= periodsPerDay ? (
        <p className="hint">At most {periodsPerDay} opening periods a day.</p>
      ) : null}
      {error ? (
        <p className="error-text" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** "Copy Monday's hours to…": the other days to give the same hours, the working days ticked. */
function CopyDay(props: {
  readonly day: Weekday;
  readonly name: string;
  readonly onCopy: (days: Weekday[]) => void;
}) {
  const { day, name, onCopy } = props;
  const others = days.filter(([d]) => d !== day);
  const workingDays = (d: Weekday) => d !== "saturday" && d !== "sunday";
  const [chosen, setChosen] = useState<Set<Weekday>>(
    () => new Set(others.map(([d]) => d).filter(workingDays)),
  );
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState("");
  return (
    <>
      <details
        className="office-hours__copy"
        open={open}
        onToggle={(event) => setOpen(event.currentTarget.open)}
      >
        <summary>Copy {name}'s hours…</summary>
        <fieldset>
          <legend className="visually-hidden">Copy {name}'s hours to</legend>
          <div className="office-hours__copy-days">
            {others.map(([d, n]) => (
              <label key={d}>
                <input
                  type="checkbox"
                  checked={chosen.has(d)}
                  onChange={(event) => {
                    const next = new Set(chosen);
                    if (event.currentTarget.checked) next.add(d);
                    else next.delete(d);
                    setChosen(next);
                  }}
                />{" "}
                {n}
              </label>
            ))}
          </div>
          <button
            type="button"
            className="button button--small"
            disabled={chosen.size === 0}
            onClick={() => {
              const targets = others.map(([d]) => d).filter((d) => chosen.has(d));
              onCopy(targets);
              setCopied(
                `${name}'s hours copied to ${others
                  .filter(([d]) => chosen.has(d))
                  .map(([, n]) => n)
                  .join(", ")}.`,
              );
              setOpen(false);
            }}
          >
            Copy to the days ticked
          </button>
        </fieldset>
      </details>
      <span className="visually-hidden" role="status">
        {copied}
      </span>
    </>
  );
}
