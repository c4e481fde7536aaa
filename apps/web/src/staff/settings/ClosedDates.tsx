import { useId, useState } from "react";

/** The domain's limit (officeHoursLimits.closedDates): a year of them. */
const closedDatesMax = 366;

/** A local date (YYYY-MM-DD) as people read it, e.g. "Fri, 25 Dec 2026"; it names no zone. */
export function readableDate(date: string): string {
  const at = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(at.getTime())
    ? date
    : at.toLocaleDateString(undefined, {
        timeZone: "UTC",
        weekday: "short",
        day: "numeric",
        month: "short",
        year: "numeric",
      });
}

/**
 * HOURS-1: the dates the clinic is closed all day (holidays), added one at a time and removed
 * one by one; dates already past can go. `error` is the server's refusal, naming the field.
 */
export function ClosedDates(props: {
  readonly dates: readonly string[];
  readonly onChange: (dates: string[]) => void;
  readonly error: string | null;
}) {
  const { dates, onChange, error } = props;
  const id = useId();
  const [newDate, setNewDate] = useState("");
  const [status, setStatus] = useState("");
  const today = new Date().toISOString().slice(0, 10);
  const past = dates.filter((date) => date < today);
  const duplicate = newDate !== "" && dates.includes(newDate);
  const full = dates.length >= closedDatesMax;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  const add = () => {
    if (!newDate || duplicate || full) return;
    onChange([...dates, newDate].sort());
    setStatus(`${readableDate(newDate)} added to the closed dates.`);
    setNewDate("");
  };
  return (
    <div className="field office-hours__closed">
      <label htmlFor={`${id}-date`}>Closed dates</label>
      <span id={hintId} className={`hint${duplicate ? " hint--error" : ""}`}>
        {duplicate
          ? `${readableDate(newDate)} is already a closed date.`
          : "Days the clinic is closed all day, such as holidays, in the clinic's time zone."}
      </span>
      <div className="office-hours__add-date">
        <input
          id={`${id}-date`}
          type="date"
          value={newDate}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={duplicate || error ? true : undefined}
          onChange={(event) => setNewDate(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Enter adds the date rather than saving the whole form.
            if (event.key === "Enter") {
              event.preventDefault();
              add();
            }
          }}
        />
        <button
          type="button"
          className="button button--small"
          disabled={!newDate || duplicate || full}
          onClick={add}
        >
          Add date
        </button>
      </div>
      {full ? <p className="hint">At most {closedDatesMax} closed dates.</p> : null}
      {error ? (
        <p className="error-text" id={errorId}>
          {error}
        </p>
      ) : null}
      {dates.length > 0 ? (
        <ul className="office-hours__dates" aria-label="Dates the clinic is closed">
          {dates.map((date) => (
            <li key={date} className={date < today ? "office-hours__date--past" : undefined}>
              <time dateTime={date}>{readableDate(date)}</time>
              {date < today ? <span className="hint"> (past)</span> : null}
              <button
                type="button"
                className="button button--small button--ghost"
                onClick={() => {
                  onChange(dates.filter((d) => d !== date));
                  setStatus(`${readableDate(date)} removed from the closed dates.`);
                }}
              >
                Remove<span className="visually-hidden"> {readableDate(date)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No closed dates.</p>
      )}
      {past.length > 0 ? (
        <button
          type="button"
          className="button button--small button--ghost"
          onClick={() => {
            onChange(dates.filter((date) => date >= today));
            setStatus(`${past.length} past ${past.length === 1 ? "date" : "dates"} removed.`);
          }}
        >
          Remove past dates
        </button>
      ) : null}
      <span className="visually-hidden" role="status">
        {status}
      </span>
    </div>
  );
}
