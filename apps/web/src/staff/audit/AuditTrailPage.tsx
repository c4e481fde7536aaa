import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPCClient } from "../../rpc/trpc";
import type { Inputs } from "../../rpc/types";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { actionNames, shortId } from "./auditWords";

type Action = NonNullable<Inputs["audit"]["list"]["action"]>;

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/**
 * The admin's audit trail (SEC-3): every access to PHI, newest first, filtered by action. It
 * holds ids, never content, so the table shows who did what to which record, when, from where.
 */
export function AuditTrailPage() {
  usePageTitle("Audit trail");
  const id = useId();
  const client = useTRPCClient();
  const [action, setAction] = useState<Action | "">("");
  // By hand: tRPC's infinite options add a `direction` field the strict input refuses.
  const trail = useInfiniteQuery({
    queryKey: ["staff", "audit", action],
    queryFn: ({ pageParam }) =>
      client.audit.list.query({ limit: 50, action: action || null, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const items = trail.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="page">
      <h1 tabIndex={-1}>Audit trail</h1>
      <p className="page__lede">
        Every access to patient information in your clinic. Records can't be changed or removed.
      </p>
      <div className="toolbar">
        <div className="field field--compact">
          <label htmlFor={`${id}-action`}>Action</label>
          <select
            id={`${id}-action`}
            value={action}
            onChange={(event) => setAction(event.currentTarget.value as Action | "")}
          >
            <option value="">All actions</option>
            {Object.entries(actionNames).map(([value, name]) => (
              <option key={value} value={value}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {trail.isPending ? <Loading /> : null}
      {trail.isError ? <ErrorText>{errorMessage(trail.error)}</ErrorText> : null}
      {trail.data ? (
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="visually-hidden">Audit records, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Outcome</th>
                <th scope="col">By</th>
                <th scope="col">Record</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {items.map((event) => (
                <tr key={event.id}>
                  <td>
                    <time dateTime={event.at}>{timeFormat.format(new Date(event.at))}</time>
                  </td>
                  <td>{actionNames[event.action] ?? event.action}</td>
                  <td>
                    <span className={`pill pill--${event.outcome}`}>{event.outcome}</span>
                    {event.reason ? <span className="hint"> {event.reason}</span> : null}
                  </td>
                  <td>
                    {event.actor
                      ? `${event.actor.kind} …${shortId(event.actor.id)}`
                      : event.credentialId
                        ? `API credential …${shortId(event.credentialId)}`
                        : "—"}
                  </td>
                  <td className="mono">
                    {event.conversationId ? `conversation …${shortId(event.conversationId)} ` : ""}
                    {event.messageId ? `message …${shortId(event.messageId)} ` : ""}
                    {event.fileId ? `file …${shortId(event.fileId)} ` : ""}
                    {event.subject ? `${event.subject.kind} …${shortId(event.subject.id)}` : ""}
                  </td>
                  <td className="mono">{event.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {trail.data && items.length === 0 ? <p>No records.</p> : null}
      {trail.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void trail.fetchNextPage()}
          disabled={trail.isFetchingNextPage}
        >
          Show older records
        </button>
      ) : null}
    </div>
  );
}
