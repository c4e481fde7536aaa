import { useId, useState } from "react";
import { useSession } from "../../../auth/session";
import { errorMessage } from "../../../rpc/errors";
import { ErrorText, Loading } from "../../../ui/Feedback";
import { usePageTitle } from "../../../ui/usePageTitle";
import { shortDateTime } from "../useTeam";
import { BroadcastReport } from "./BroadcastReport";
import { ComposeBroadcast } from "./ComposeBroadcast";
import { stateWords, useBroadcasts } from "./useBroadcasts";

/**
 * Clinic Settings › Broadcasts (BCAST-1): an admin sends one message to many patients, each in
 * their own conversation; the list of broadcasts with their progress, and a report for each.
 */
export function BroadcastsPage() {
  usePageTitle("Broadcasts");
  const id = useId();
  const me = useSession();
  const actions = useBroadcasts();
  const [open, setOpen] = useState<string | null>(null);
  if (me.role !== "admin")
    return (
      <div className="page">
        <h1 tabIndex={-1}>Broadcasts</h1>
        <p className="page__lede">Clinic Settings › Broadcasts</p>
        <p>Only a clinic admin sends broadcasts.</p>
      </div>
    );
  return (
    <div className="page">
      <h1 tabIndex={-1}>Broadcasts</h1>
      <p className="page__lede">Clinic Settings › Broadcasts</p>
      <ComposeBroadcast actions={actions} onSent={setOpen} />
      {open ? <BroadcastReport key={open} broadcastId={open} actions={actions} /> : null}
      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>Recent broadcasts</h2>
        {actions.list.isPending ? <Loading /> : null}
        {actions.list.isError ? <ErrorText>{errorMessage(actions.list.error)}</ErrorText> : null}
        {actions.list.data?.length === 0 ? <p>No broadcasts yet.</p> : null}
        {actions.list.data && actions.list.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table table--dense">
              <thead>
                <tr>
                  <th scope="col">Broadcast</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Report</th>
                </tr>
              </thead>
              <tbody>
                {actions.list.data.map((b) => (
                  <tr key={b.id}>
                    <td>
                      {b.content.kind === "text"
                        ? excerpt(b.content.text)
                        : `File: ${b.content.fileName ?? "removed"}`}
                      <br />
                      <span className="hint">{shortDateTime(b.sendAt)}</span>
                    </td>
                    <td>
                      {stateWords[b.state]}: {b.progress.sent} sent, {b.progress.skipped} skipped
                      {b.progress.failed > 0 ? `, ${b.progress.failed} failed` : ""}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button--small"
                        aria-pressed={open === b.id}
                        onClick={() => setOpen(b.id)}
                      >
                        View
                        <span className="visually-hidden">
                          {" "}
                          the report of the broadcast sent {shortDateTime(b.sendAt)}
                        </span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
