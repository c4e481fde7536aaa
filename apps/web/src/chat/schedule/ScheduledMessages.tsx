import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import type { Outputs } from "../../rpc/types";
import { ErrorText } from "../../ui/Feedback";
import { reasonSentence } from "../composerReasons";
import { clinicTimeLabel, minuteOf, timeValue } from "./clinicTime";

type Scheduled = Outputs["scheduled"]["list"][number];

/**
 * SCHED-1: the conversation's scheduled messages, for staff only: each waiting one with its time
 * on the clinic's clock, editable and cancellable by its author until it goes; one refused when
 * it was due, with the reason, for its author.
 */
export function ScheduledMessages({ conversationId }: { conversationId: string }) {
  const trpc = useTRPC();
  // A message that went out leaves this list; the conversation shows it as sent.
  const list = useQuery({ ...trpc.scheduled.list.queryOptions({ conversationId }), refetchInterval: 15_000 });
  if (!list.data || list.data.length === 0) return null;
  return (
    <section className="scheduled" aria-label="Scheduled messages" data-testid="scheduled-messages">
      <h3 className="scheduled__title">Scheduled · only staff see these</h3>
      <ul className="scheduled__list">
        {list.data.map((item) => (
          <ScheduledItem key={item.id} item={item} conversationId={conversationId} />
        ))}
      </ul>
    </section>
  );
}

function ScheduledItem({ item, conversationId }: { item: Scheduled; conversationId: string }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.scheduled.list.queryKey({ conversationId }) });
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(item.text);
  const [date, setDate] = useState(item.local.date);
  const [time, setTime] = useState(timeValue(item.local.minute));
  const cancel = useMutation(trpc.scheduled.cancel.mutationOptions({ onSuccess: refresh }));
  const edit = useMutation(
    trpc.scheduled.edit.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        void refresh();
      },
    }),
  );
  if (item.status === "refused") {
    return (
      <li className="scheduled__item scheduled__item--refused">
        <p className="scheduled__when">Not sent at {clinicTimeLabel(item.local)}</p>
        <p className="scheduled__text">{item.text}</p>
        <p className="error-text">
          {reasonSentence({ allowed: false, reason: item.refusal ?? "UNKNOWN" }, "text", "staff")}
        </p>
      </li>
    );
  }
  const minute = minuteOf(time);
  return (
    <li className="scheduled__item">
      <p className="scheduled__when">Goes {clinicTimeLabel(item.local)}</p>
      {editing ? (
        <form
          className="scheduled__edit"
          onSubmit={(event) => {
            event.preventDefault();
            if (minute !== null) edit.mutate({ scheduledId: item.id, text, when: { date, minute } });
          }}
        >
          <label htmlFor={`${id}-text`}>Message</label>
          <textarea
            id={`${id}-text`}
            value={text}
            rows={2}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          <div className="scheduled__edit-row">
            <div className="field">
              <label htmlFor={`${id}-date`}>Date</label>
              <input
                id={`${id}-date`}
                type="date"
                required
                value={date}
                onChange={(e) => setDate(e.currentTarget.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-time`}>Time</label>
              <input
                id={`${id}-time`}
                type="time"
                required
                value={time}
                onChange={(e) => setTime(e.currentTarget.value)}
              />
            </div>
          </div>
          <div className="scheduled__actions">
            <button type="submit" className="button button--primary" disabled={edit.isPending}>
              Save
            </button>
            <button type="button" className="button" onClick={() => setEditing(false)}>
              Keep as it was
            </button>
          </div>
          {edit.isError ? <ErrorText>{errorMessage(edit.error)}</ErrorText> : null}
        </form>
      ) : (
        <>
          <p className="scheduled__text">{item.text}</p>
          {item.mine ? (
            <div className="scheduled__actions">
              <button type="button" className="button" onClick={() => setEditing(true)}>
                Edit<span className="visually-hidden"> scheduled message</span>
              </button>
              <button
                type="button"
                className="button button--danger"
                disabled={cancel.isPending}
                onClick={() => cancel.mutate({ scheduledId: item.id })}
              >
                Cancel<span className="visually-hidden"> scheduled message</span>
              </button>
            </div>
          ) : null}
          {cancel.isError ? <ErrorText>{errorMessage(cancel.error)}</ErrorText> : null}
        </>
      )}
    </li>
  );
}
