import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useSession } from "../auth/session";
import { errorMessage } from "../rpc/errors";
import { useTRPC } from "../rpc/trpc";
import type { PersonView } from "../rpc/types";
import { ErrorText } from "../ui/Feedback";

/** A patient conversation's timeline and inbox state; live through the event stream (INBOX-2, HOURS-3). */
export function useTimeline(conversationId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.inbox.timeline.queryOptions({ conversationId }));
}

/**
 * Where a patient conversation stands in the inbox and what a staff participant can do with it
 * (INBOX-1 … INBOX-3): claim, assign to a staff participant, unassign, close or reopen, mark unread.
 */
export function InboxControls({
  conversationId,
  participants,
}: {
  conversationId: string;
  participants: readonly PersonView[];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession();
  const id = useId();
  const timeline = useTimeline(conversationId);
  const settle = { onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() }) };
  const claim = useMutation(trpc.inbox.claim.mutationOptions(settle));
  const assign = useMutation(trpc.inbox.assign.mutationOptions(settle));
  const unassign = useMutation(trpc.inbox.unassign.mutationOptions(settle));
  const close = useMutation(trpc.inbox.close.mutationOptions(settle));
  const reopen = useMutation(trpc.inbox.reopen.mutationOptions(settle));
  const markUnread = useMutation(trpc.inbox.markUnread.mutationOptions(settle));
  const state = timeline.data?.inbox;
  if (!state) return null;
  const staff = participants.filter((p) => p.kind === "staff" && p.active);
  const assignee = staff.find((p) => p.id === state.assigneeId) ?? null;
  const mine = state.assigneeId === me.person.id;
  const busy = [claim, assign, unassign, close, reopen, markUnread].some((m) => m.isPending);
  const failed = [claim, assign, unassign, close, reopen, markUnread].find((m) => m.isError)?.error;
  const input = { conversationId };
  return (
    <div className="inbox-controls" data-testid="inbox-controls">
      <p className="inbox-controls__state" data-testid="inbox-state">
        <strong>{state.status === "open" ? "Open" : "Closed"}</strong>
        {" · "}
        {assignee ? (mine ? "Assigned to you" : `Assigned to ${assignee.name}`) : "Unassigned"}
        {state.awaitingReply ? " · Awaiting reply" : ""}
      </p>
      <div className="inbox-controls__actions">
        {!mine ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => claim.mutate(input)}
          >
            Claim
          </button>
        ) : null}
        <label htmlFor={`${id}-assign`} className="visually-hidden">
          Assign to
        </label>
        <select
          id={`${id}-assign`}
          className="inbox-controls__assign"
          value=""
          disabled={busy}
          onChange={(event) => {
            const staffId = event.currentTarget.value;
            if (staffId) assign.mutate({ conversationId, staffId });
          }}
        >
          <option value="">Assign to…</option>
          {staff
            .filter((p) => p.id !== state.assigneeId)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
        {assignee ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => unassign.mutate(input)}
          >
            Unassign
          </button>
        ) : null}
        {state.status === "open" ? (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => close.mutate(input)}
          >
            Close
          </button>
        ) : (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            onClick={() => reopen.mutate(input)}
          >
            Reopen
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => markUnread.mutate(input)}
        >
          Mark unread
        </button>
      </div>
      {failed ? <ErrorText>{errorMessage(failed)}</ErrorText> : null}
    </div>
  );
}
