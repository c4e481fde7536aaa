import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import type { Inputs } from "../../rpc/types";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";

type OfficeHours = Inputs["inbox"]["changeOfficeHours"];
type Weekday = keyof OfficeHours["weekly"];

const days: readonly (readonly [Weekday, string])[] = [
  ["monday", "Monday"],
  ["tuesday", "Tuesday"],
  ["wednesday", "Wednesday"],
  ["thursday", "Thursday"],
  ["friday", "Friday"],
  ["saturday", "Saturday"],
  ["sunday", "Sunday"],
];

/** The limit of HOURS-4, counted as the domain counts it: characters after trimming. */
const guidelinesMax = 300;

const asTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
const asMinutes = (time: string) => {
  const [h = "0", m = "0"] = time.split(":");
  return Number(h) * 60 + Number(m);
};

/**
 * Clinic Settings › Office hours (HOURS-1 … HOURS-4): opening hours per weekday in the clinic's
 * time zone, closed dates, the messaging guidelines patients see, and the automatic reply.
 */
export function OfficeHoursSettings() {
  usePageTitle("Office hours");
  const id = useId();
  const me = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hours = useQuery(trpc.inbox.officeHours.queryOptions());
  const save = useMutation(
    trpc.inbox.changeOfficeHours.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() }),
    }),
  );
  const [draft, setDraft] = useState<OfficeHours | null>(null);
  const [newDate, setNewDate] = useState("");
  useEffect(() => {
    if (hours.data) {
      const kept = hours.data;
      setDraft({
        ...kept,
        weekly: Object.fromEntries(
          days.map(([day]) => [day, kept.weekly[day].map((p) => ({ ...p }))]),
        ) as OfficeHours["weekly"],
        closedDates: [...kept.closedDates],
      });
    }
  }, [hours.data]);
  const readOnly = me.role !== "admin";
  const zones = Intl.supportedValuesOf("timeZone");

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (draft) save.mutate(draft);
  };
  const setDay = (day: Weekday, periods: OfficeHours["weekly"][Weekday]) =>
    setDraft((d) => (d ? { ...d, weekly: { ...d.weekly, [day]: periods } } : d));
  const guidelineLength = draft ? [...draft.guidelines.trim()].length : 0;

  return (
    <div className="page">
      <h1 tabIndex={-1}>Office hours</h1>
      <p className="page__lede">Clinic Settings › Office hours</p>
      {hours.isPending ? <Loading /> : null}
      {hours.isError ? <ErrorText>{errorMessage(hours.error)}</ErrorText> : null}
      {draft ? (
        <form className="card office-hours" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>When the clinic reads messages</h2>
          {readOnly ? <p className="hint">Only a clinic admin can change office hours.</p> : null}
          <fieldset disabled={readOnly || save.isPending}>
            <div className="field">
              <label htmlFor={`${id}-zone`}>Time zone</label>
              <select
                id={`${id}-zone`}
                value={draft.timeZone}
                onChange={(event) => setDraft({ ...draft, timeZone: event.currentTarget.value })}
              >
                {[...new Set([draft.timeZone, "UTC", ...zones])].map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll("_", " ")}
                  </option>
                ))}
              </select>
            </div>
            <table className="office-hours__days">
              <caption className="visually-hidden">Opening hours per weekday</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Open</th>
                  <th scope="col">From</th>
                  <th scope="col">Until</th>
                </tr>
              </thead>
              <tbody>
                {days.map(([day, name]) => {
                  const period = draft.weekly[day][0];
                  return (
                    <tr key={day}>
                      <th scope="row">{name}</th>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Open on ${name}`}
                          checked={period !== undefined}
                          onChange={(event) =>
                            setDay(day, event.currentTarget.checked ? [{ opens: 540, closes: 1020 }] : [])
                          }
                        />
                      </td>
                      <td>
                        {period ? (
                          <input
                            type="time"
                            aria-label={`${name} opens at`}
                            value={asTime(period.opens)}
                            onChange={(event) =>
                              setDay(day, [{ ...period, opens: asMinutes(event.currentTarget.value) }])
                            }
                          />
                        ) : (
                          <span className="hint">Closed</span>
                        )}
                      </td>
                      <td>
                        {period ? (
                          <input
                            type="time"
                            aria-label={`${name} closes at`}
                            value={asTime(period.closes)}
                            onChange={(event) =>
                              setDay(day, [
                                { ...period, closes: asMinutes(event.currentTarget.value) || 1440 },
                              ])
                            }
                          />
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <div className="field">
              <label htmlFor={`${id}-closed`}>Closed dates</label>
              <div className="office-hours__add-date">
                <input
                  id={`${id}-closed`}
                  type="date"
                  value={newDate}
                  onChange={(event) => setNewDate(event.currentTarget.value)}
                />
                <button
                  type="button"
                  className="button button--small"
                  disabled={!newDate}
                  onClick={() => {
                    setDraft({ ...draft, closedDates: [...new Set([...draft.closedDates, newDate])].sort() });
                    setNewDate("");
                  }}
                >
                  Add date
                </button>
              </div>
              {draft.closedDates.length > 0 ? (
                <ul className="office-hours__dates">
                  {draft.closedDates.map((date) => (
                    <li key={date}>
                      <time dateTime={date}>{date}</time>{" "}
                      <button
                        type="button"
                        className="button button--small button--ghost"
                        onClick={() =>
                          setDraft({ ...draft, closedDates: draft.closedDates.filter((d) => d !== date) })
                        }
                      >
                        Remove<span className="visually-hidden"> {date}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="hint">No closed dates.</p>
              )}
            </div>
            <div className="field">
              <label htmlFor={`${id}-guidelines`}>Messaging guidelines</label>
              <textarea
                id={`${id}-guidelines`}
                rows={3}
                value={draft.guidelines}
                aria-describedby={`${id}-guidelines-hint`}
                onChange={(event) => setDraft({ ...draft, guidelines: event.currentTarget.value })}
              />
              <span
                id={`${id}-guidelines-hint`}
                className={`hint${guidelineLength > guidelinesMax ? " hint--error" : ""}`}
              >
                What the chat is for and what to do in an emergency. Patients see it at the top of every
                conversation and in their notification email. {guidelineLength} of {guidelinesMax} characters.
              </span>
            </div>
            <div className="field field--checkbox">
              <input
                id={`${id}-reply`}
                type="checkbox"
                checked={draft.afterHoursReply}
                onChange={(event) => setDraft({ ...draft, afterHoursReply: event.currentTarget.checked })}
              />
              <label htmlFor={`${id}-reply`}>
                Automatic reply after hours, naming when the clinic opens (at most once every 12 hours)
              </label>
            </div>
            <button type="submit" className="button button--primary">
              Save office hours
            </button>
          </fieldset>
          {save.isSuccess ? (
            <p className="hint" role="status">
              Office hours saved.
            </p>
          ) : null}
          <ErrorText>{save.isError ? errorMessage(save.error) : null}</ErrorText>
        </form>
      ) : null}
    </div>
  );
}
