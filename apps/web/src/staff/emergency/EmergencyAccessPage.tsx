import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { EmergencyReadOnlyView } from "./EmergencyReadOnlyView";
import "./emergency.css";

const clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

/**
 * REC-7: an admin opens a conversation they are not part of, in an emergency: with a reason, for
 * one hour, read-only. Before the grant the page shows no names or content, only what emergency
 * access does; after it, the conversation read-only until the hour is over.
 */
export function EmergencyAccessPage({ conversationId }: { conversationId: string }) {
  usePageTitle("Emergency access");
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const standing = useQuery(trpc.emergency.standing.queryOptions({ conversationId }));
  const [reason, setReason] = useState("");
  const open = useMutation(
    trpc.emergency.open.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.emergency.standing.queryKey({ conversationId }) }),
    }),
  );
  const data = standing.data;
  return (
    <div className="page emergency">
      <p>
        <Link to="/staff/audit">← Audit trail</Link>
      </p>
      <h1 tabIndex={-1}>Emergency access</h1>
      {standing.isPending ? <Loading /> : null}
      {standing.isError ? <ErrorText>{errorMessage(standing.error)}</ErrorText> : null}
      {data?.participant ? (
        <p>
          You're in this conversation.{" "}
          <Link to="/staff/chat/$conversationId" params={{ conversationId }}>
            Open it
          </Link>
        </p>
      ) : null}
      {data && !data.participant && data.until ? (
        <>
          <p className="notice emergency__banner" role="status">
            Emergency access until {clock.format(new Date(data.until))}. You can read this conversation but
            not write in it; to write, ask someone in it to add you. The clinic's other admins are told.
          </p>
          <EmergencyReadOnlyView conversationId={conversationId} />
        </>
      ) : null}
      {data && !data.participant && !data.until ? (
        <form
          className="card emergency__form"
          onSubmit={(event) => {
            event.preventDefault();
            open.mutate({ conversationId, reason });
          }}
        >
          <p>
            You're not part of this {data.kind === "patient" ? "patient conversation" : "Team Chat"}. In an
            emergency you can read it for one hour, without writing in it.
          </p>
          <p className="hint">
            Your reason is kept with the audit trail. Every other admin of the clinic is told, in the app and
            by email.
          </p>
          <div className="field">
            <label htmlFor={`${id}-reason`}>Reason (required)</label>
            <textarea
              id={`${id}-reason`}
              value={reason}
              required
              maxLength={1000}
              rows={3}
              aria-describedby={open.isError ? `${id}-error` : undefined}
              onChange={(event) => setReason(event.currentTarget.value)}
            />
          </div>
          <ErrorText id={`${id}-error`}>{open.isError ? errorMessage(open.error) : null}</ErrorText>
          <button
            type="submit"
            className="button button--primary"
            disabled={open.isPending || reason.trim() === ""}
          >
            Open in an emergency
          </button>
        </form>
      ) : null}
    </div>
  );
}
