import type { UseFormReturn } from "react-hook-form";
import { ErrorText } from "../../ui/Feedback";
import { appointmentLengths, instantsOf, type TimeFields } from "./appointmentTimes";
import { timeZoneName } from "./formatAppointment";

/**
 * Day, start time and length of an appointment: the browser's own date and time pickers, which
 * are labelled, keyboard-operable and native on phones. The day and time are on the clinic's
 * clock, which the fieldset names: a device in another zone books the clinic's 9 AM as 9 AM.
 */
export function AppointmentTimeInputs<F extends TimeFields>({
  form,
  idPrefix,
  timeZone,
}: {
  form: UseFormReturn<F>;
  idPrefix: string;
  timeZone: string;
}) {
  // The fields are TimeFields' own; react-hook-form types a generic form's paths loosely.
  const f = form as unknown as UseFormReturn<TimeFields>;
  const { errors } = f.formState;
  return (
    <fieldset className="field appointment-times">
      <legend>When</legend>
      <p className="hint" id={`${idPrefix}-zone`}>
        Times are in the clinic's time zone: {timeZoneName(timeZone)}.
      </p>
      <div className="appointment-times__row">
        <div className="field">
          <label htmlFor={`${idPrefix}-date`}>Day</label>
          <input
            id={`${idPrefix}-date`}
            type="date"
            required
            aria-invalid={errors.date ? true : undefined}
            aria-describedby={`${idPrefix}-zone`}
            {...f.register("date", {
              required: "Choose the day.",
              validate: (_value, all) =>
                instantsOf(all, timeZone) !== null ||
                "Choose a real day and time (on the day the clocks go forward, the skipped hour does not exist).",
            })}
          />
          <ErrorText>{errors.date?.message}</ErrorText>
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-time`}>Start time</label>
          <input
            id={`${idPrefix}-time`}
            type="time"
            step={300}
            required
            aria-invalid={errors.time ? true : undefined}
            aria-describedby={`${idPrefix}-zone`}
            {...f.register("time", { required: "Choose the start time." })}
          />
          <ErrorText>{errors.time?.message}</ErrorText>
        </div>
        <div className="field">
          <label htmlFor={`${idPrefix}-minutes`}>Length</label>
          <select id={`${idPrefix}-minutes`} {...f.register("minutes")}>
            {appointmentLengths.map((m) => (
              <option key={m} value={String(m)}>
                {m < 60 ? `${m} minutes` : m === 60 ? "1 hour" : `${m / 60} hours`}
              </option>
            ))}
          </select>
        </div>
      </div>
    </fieldset>
  );
}
