import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage, invalidFieldOf } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import type { Inputs } from "../../rpc/types";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { ClosedDates } from "./ClosedDates";
import { days, type Weekday, WeeklyHours } from "./WeeklyHours";

type OfficeHours = Inputs["inbox"]["changeOfficeHours"];

/** The limit of HOURS-4, counted as the domain counts it: characters after trimming. */
const guidelinesMax = 300;

/** The field a refusal names, and the sentence shown beside it (and in the form's alert). */
interface FieldError {
  readonly field: "timeZone" | "weekly" | "closedDates" | "guidelines" | "form";
  readonly day: Weekday | null;
  readonly message: string;
}

/**
 * What the server refused, by the field it names: the domain's INVALID_INPUT names it in
 * `details.field` ("weekly.monday"), the input schema in `fields[].path` ("weekly.monday[0].closes").
 */
function fieldError(error: unknown): FieldError {
  const path = invalidFieldOf(error) ?? "";
  const [head = "", rest = ""] = path.split(/[.[]/);
  const day = days.find(([d]) => d === rest);
  if (head === "weekly" && day)
    return {
      field: "weekly",
      day: day[0],
      message: `${day[1]}: each opening period must close after it opens and start after the one before it closes.`,
    };
  if (head === "timeZone")
    return { field: "timeZone", day: null, message: "Time zone: choose one from the list." };
  if (head === "closedDates")
    return {
      field: "closedDates",
      day: null,
      message: "Closed dates: use real calendar dates, at most 366.",
    };
  if (head === "guidelines")
    return {
      field: "guidelines",
      day: null,
      message: `Messaging guidelines: at most ${guidelinesMax} characters.`,
    };
  return { field: "form", day: null, message: errorMessage(error) };
}

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
      // The refused field is marked; focus goes to it, so the admin lands where to correct.
      onError: () =>
        requestAnimationFrame(() => form.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus()),
    }),
  );
  const [draft, setDraft] = useState<OfficeHours | null>(null);
  const form = useRef<HTMLFormElement>(null);
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
  const refused = save.isError ? fieldError(save.error) : null;
  const guidelineLength = draft ? [...draft.guidelines.trim()].length : 0;

  return (
    <div className="page">
      <h1 tabIndex={-1}>Office hours</h1>
      <p className="page__lede">Clinic Settings › Office hours</p>
      {hours.isPending ? <Loading /> : null}
      {hours.isError ? <ErrorText>{errorMessage(hours.error)}</ErrorText> : null}
      {draft ? (
        <form ref={form} className="card office-hours" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>When the clinic reads messages</h2>
          {readOnly ? <p className="hint">Only a clinic admin can change office hours.</p> : null}
          <fieldset disabled={readOnly || save.isPending}>
            <div className="field">
              <label htmlFor={`${id}-zone`}>Time zone</label>
              <select
                id={`${id}-zone`}
                value={draft.timeZone}
                aria-invalid={refused?.field === "timeZone" ? true : undefined}
                aria-describedby={refused?.field === "timeZone" ? `${id}-zone-error` : `${id}-zone-hint`}
                onChange={(event) => setDraft({ ...draft, timeZone: event.currentTarget.value })}
              >
                {[...new Set([draft.timeZone, "UTC", ...zones])].map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replaceAll("_", " ")}
                  </option>
                ))}
              </select>
              {refused?.field === "timeZone" ? (
                <p className="error-text" id={`${id}-zone-error`}>
                  {refused.message}
                </p>
              ) : (
                <span id={`${id}-zone-hint`} className="hint">
                  Opening hours and closed dates are in this zone; patients see times in their own.
                </span>
              )}
            </div>
            <h3 className="office-hours__heading">Opening hours</h3>
            <p className="hint">
              Patients who write outside these hours see when the clinic will read their message. Add a second
              period for a lunch break.
            </p>
            <WeeklyHours
              weekly={draft.weekly}
              onChange={(weekly) => setDraft({ ...draft, weekly })}
              invalid={
                refused?.field === "weekly" && refused.day
                  ? { day: refused.day, message: refused.message }
                  : null
              }
            />
            <ClosedDates
              dates={draft.closedDates}
              onChange={(closedDates) => setDraft({ ...draft, closedDates })}
              error={refused?.field === "closedDates" ? refused.message : null}
            />
            <div className="field">
              <label htmlFor={`${id}-guidelines`}>Messaging guidelines</label>
              <textarea
                id={`${id}-guidelines`}
                rows={3}
                value={draft.guidelines}
                aria-describedby={`${id}-guidelines-hint`}
                aria-invalid={
                  refused?.field === "guidelines" || guidelineLength > guidelinesMax ? true : undefined
                }
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
          <ErrorText>
            {refused ? (refused.field === "form" ? refused.message : `Not saved. ${refused.message}`) : null}
          </ErrorText>
        </form>
      ) : null}
    </div>
  );
}
