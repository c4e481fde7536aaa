import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { Dialog } from "../../ui/Dialog";
import { ErrorText } from "../../ui/Feedback";
import { newClientId } from "../useSendText";
import { clinicTimeLabel, minuteOf } from "./clinicTime";

/**
 * SCHED-1: "Send later" beside Send. Quick picks or a date and time, both on the clinic's wall
 * clock (its zone is named); the message then waits in the conversation, seen by staff only,
 * until it goes.
 */
export function SendLater({
  conversationId,
  text,
  disabled,
  onScheduled,
}: {
  conversationId: string;
  text: string;
  disabled: boolean;
  onScheduled: () => void;
}) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState("");
  const [time, setTime] = useState("09:00");
  const [clientId, setClientId] = useState(newClientId);
  const options = useQuery({ ...trpc.scheduled.options.queryOptions(), enabled: open });
  const schedule = useMutation(
    trpc.scheduled.schedule.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.scheduled.list.queryKey({ conversationId }) });
        setOpen(false);
        setClientId(newClientId());
        onScheduled();
      },
    }),
  );
  const send = (when: { date: string; minute: number }) =>
    schedule.mutate({ conversationId, clientId, text, when });
  const minute = minuteOf(time);

  return (
    <>
      <button
        type="button"
        className="button button--ghost composer__later"
        disabled={disabled}
        onClick={() => {
          schedule.reset();
          setOpen(true);
        }}
      >
        Send later
      </button>
      <Dialog open={open} title="Send later" onClose={() => setOpen(false)}>
        {options.data ? (
          <>
            <p className="hint" id={`${id}-zone`}>
              Times are in the clinic's time zone, {options.data.timeZone.replaceAll("_", " ")}.
            </p>
            <ul className="send-later__picks">
              {options.data.quickPicks.map((pick) => (
                <li key={pick.label}>
                  <button
                    type="button"
                    className="button"
                    disabled={schedule.isPending}
                    onClick={() => send({ date: pick.date, minute: pick.minute })}
                  >
                    {pick.label}
                    <span className="hint"> · {clinicTimeLabel(pick)}</span>
                  </button>
                </li>
              ))}
            </ul>
            <form
              className="send-later__custom"
              aria-describedby={`${id}-zone`}
              onSubmit={(event) => {
                event.preventDefault();
                if (date && minute !== null) send({ date, minute });
              }}
            >
              <div className="field">
                <label htmlFor={`${id}-date`}>Date</label>
                <input
                  id={`${id}-date`}
                  type="date"
                  required
                  min={options.data.today}
                  value={date}
                  onChange={(event) => setDate(event.currentTarget.value)}
                />
              </div>
              <div className="field">
                <label htmlFor={`${id}-time`}>Time</label>
                <input
                  id={`${id}-time`}
                  type="time"
                  required
                  value={time}
                  onChange={(event) => setTime(event.currentTarget.value)}
                />
              </div>
              <button type="submit" className="button button--primary" disabled={schedule.isPending}>
                Schedule
              </button>
            </form>
          </>
        ) : options.isError ? (
          <ErrorText>{errorMessage(options.error)}</ErrorText>
        ) : (
          <p className="hint">Loading…</p>
        )}
        {schedule.isError ? <ErrorText>{errorMessage(schedule.error)}</ErrorText> : null}
      </Dialog>
    </>
  );
}
