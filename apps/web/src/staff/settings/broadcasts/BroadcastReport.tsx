import { useId, useState } from "react";
import { errorMessage } from "../../../rpc/errors";
import { BirthDate } from "../../../ui/BirthDate";
import { ErrorText, Loading } from "../../../ui/Feedback";
import { shortDateTime } from "../useTeam";
import {
  reasonWords,
  stateWords,
  statusWords,
  useBroadcastReport,
  type useBroadcasts,
} from "./useBroadcasts";

type Status = keyof typeof statusWords;

/** One broadcast: live progress, cancel, and its report per recipient (BCAST-1). */
export function BroadcastReport({
  broadcastId,
  actions,
}: {
  broadcastId: string;
  actions: ReturnType<typeof useBroadcasts>;
}) {
  const id = useId();
  const [status, setStatus] = useState<Status | null>(null);
  const report = useBroadcastReport(broadcastId, status);
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorText>{errorMessage(report.error)}</ErrorText>;
  const { broadcast, recipients } = report.data;
  const p = broadcast.progress;
  const total = p.waiting + p.sent + p.skipped + p.failed + p.cancelled;
  const over = total - p.waiting;
  const going = broadcast.state === "sending" || broadcast.state === "scheduled";
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Report</h2>
      <p>
        {stateWords[broadcast.state]}
        {broadcast.state === "scheduled" ? ` for ${shortDateTime(broadcast.sendAt)}` : ""}.{" "}
        {broadcast.content.kind === "text"
          ? `“${excerpt(broadcast.content.text)}”`
          : `File: ${broadcast.content.fileName ?? "removed"}`}
      </p>
      <div className="field">
        <label htmlFor={`${id}-progress`}>Progress</label>
        <progress id={`${id}-progress`} max={Math.max(total, 1)} value={over} style={{ width: "100%" }} />
      </div>
      <p role="status" aria-live="polite">
        {p.sent.toLocaleString()} sent, {p.skipped.toLocaleString()} skipped, {p.failed.toLocaleString()}{" "}
        failed, {p.cancelled.toLocaleString()} cancelled, {p.waiting.toLocaleString()} waiting
      </p>
      {going ? (
        <button
          type="button"
          className="button button--danger"
          disabled={actions.cancel.isPending}
          onClick={() => actions.cancel.mutate({ broadcastId })}
        >
          Cancel broadcast
        </button>
      ) : null}
      <ErrorText>{actions.cancel.isError ? errorMessage(actions.cancel.error) : null}</ErrorText>
      <div className="field">
        <label htmlFor={`${id}-status`}>Show</label>
        <select
          id={`${id}-status`}
          value={status ?? ""}
          onChange={(e) => setStatus((e.target.value || null) as Status | null)}
        >
          <option value="">Everyone</option>
          {(Object.keys(statusWords) as Status[]).map((s) => (
            <option key={s} value={s}>
              {statusWords[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="table-wrap">
        <table className="table table--dense">
          <caption className="visually-hidden">Recipients</caption>
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Status</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {recipients.map((r) => (
              <tr key={r.patientId}>
                <td>
                  {r.name ?? "Unknown patient"} <BirthDate dateOfBirth={r.dateOfBirth} />
                </td>
                <td>
                  {statusWords[r.status]}
                  {r.attempts > 1 && r.status === "sent" ? ` (after ${r.attempts} attempts)` : ""}
                </td>
                <td>{reasonWords(r.reason)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.data.nextCursor ? <p className="hint">The first 100 are shown.</p> : null}
    </section>
  );
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
