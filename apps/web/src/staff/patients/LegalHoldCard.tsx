import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, Loading } from "../../ui/Feedback";
import { patientListKey } from "./patientListKey";
import { formatMoment, ReasonField, reasonTooLong } from "./ReasonField";

/**
 * The patient's legal hold on the Patient File (REC-4): whether one stands, why, who placed it and
 * when (in the clinic's zone). Admins place one with a reason and lift it; while it stands nothing
 * in the patient's conversations can be deleted, by anyone or by the retention period.
 */
export function LegalHoldCard({ patientId }: { patientId: string }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession();
  const { timeZone } = me.clinic;
  const isAdmin = me.role === "admin";
  const hold = useQuery(trpc.records.hold.queryOptions({ patientId }));
  const [reason, setReason] = useState("");
  const [placing, setPlacing] = useState(false);
  // A hold changes more than this card: the patient list's "On hold" and the ⋯ Delete of every
  // message in the patient's conversations. Their ids are not known here, so every conversation's
  // details are marked stale: the open ones read again, the others when next opened.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.records.hold.queryKey({ patientId }) }),
      queryClient.invalidateQueries({ queryKey: patientListKey }),
      queryClient.invalidateQueries({ queryKey: trpc.conversations.open.pathKey() }),
    ]);
  const place = useMutation(
    trpc.records.placeHold.mutationOptions({
      onSuccess: async () => {
        setPlacing(false);
        setReason("");
        await refresh();
      },
    }),
  );
  const lift = useMutation(trpc.records.liftHold.mutationOptions({ onSuccess: refresh }));
  const tooLong = reasonTooLong(reason);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Legal hold</h2>
      {hold.isPending ? <Loading /> : null}
      <ErrorText>{hold.isError ? errorMessage(hold.error) : null}</ErrorText>
      {hold.data ? (
        <>
          <p>
            <span className="pill pill--hold">On hold</span> Nothing in this patient's conversations can be
            deleted until the hold is lifted.
          </p>
          <dl className="details__list">
            <dt>Reason</dt>
            <dd className="legal-hold__reason">{hold.data.reason}</dd>
            <dt>Placed by</dt>
            <dd>{hold.data.placedBy.name || "A former admin"}</dd>
            <dt>Since</dt>
            <dd>
              <time dateTime={hold.data.placedAt}>{formatMoment(hold.data.placedAt, timeZone)}</time>
            </dd>
          </dl>
          {isAdmin ? (
            <button
              type="button"
              className="button button--small"
              disabled={lift.isPending}
              onClick={() => {
                if (
                  window.confirm(
                    "Lift the legal hold? Deletion and the retention period reach this patient again.",
                  )
                )
                  lift.mutate({ patientId });
              }}
            >
              Lift the hold
            </button>
          ) : null}
          <ErrorText>{lift.isError ? errorMessage(lift.error) : null}</ErrorText>
        </>
      ) : null}
      {hold.isSuccess && !hold.data ? (
        <>
          <p className="hint">No legal hold. Messages can be deleted as usual.</p>
          {isAdmin && !placing ? (
            <button type="button" className="button button--small" onClick={() => setPlacing(true)}>
              Place a legal hold
            </button>
          ) : null}
          {isAdmin && placing ? (
            <form
              className="form"
              onSubmit={(event) => {
                event.preventDefault();
                if (reason.trim() && !tooLong) place.mutate({ patientId, reason });
              }}
            >
              <ReasonField
                id={id}
                value={reason}
                onChange={setReason}
                kept="Seen by the clinic's staff, never in the audit trail."
              />
              <div className="form__actions">
                <button
                  type="submit"
                  className="button button--primary button--small"
                  disabled={place.isPending}
                >
                  Place the hold
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => {
                    place.reset();
                    setPlacing(false);
                  }}
                >
                  Cancel
                </button>
              </div>
              <ErrorText>{place.isError ? errorMessage(place.error) : null}</ErrorText>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
