import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText } from "../../ui/Feedback";
import { patientListKey } from "./patientListKey";
import { ReasonField, reasonTooLong } from "./ReasonField";

/**
 * Erasing a whole patient (REC-2), for admins on the Patient File: what goes and what stays,
 * confirmed by typing the patient's name and giving a reason. The server decides; a legal hold
 * refuses it with its own sentence.
 */
export function ErasePatientCard({ patientId, name }: { patientId: string; name: string }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [reason, setReason] = useState("");
  const erase = useMutation(
    trpc.records.erasePatient.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.patients.get.queryKey({ patientId }) }),
          queryClient.invalidateQueries({ queryKey: patientListKey }),
          queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.inbox.pathKey() }),
        ]),
    }),
  );
  const matches = typed.trim().replace(/\s+/g, " ").toLowerCase() === name.trim().toLowerCase();
  const tooLong = reasonTooLong(reason);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Erase patient</h2>
      <p className="hint">
        Erasing removes every message and file in this patient's conversations for good, ends their Patient
        Portal account, and replaces their details with "Erased patient". It cannot be undone. The audit trail
        keeps who deleted what and when, without content.
      </p>
      {!open ? (
        <button type="button" className="button button--small button--danger" onClick={() => setOpen(true)}>
          Erase patient…
        </button>
      ) : (
        <form
          className="form"
          onSubmit={(event) => {
            event.preventDefault();
            if (matches && reason.trim() && !tooLong) erase.mutate({ patientId, confirmName: typed, reason });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-name`}>
              Type the patient's name to confirm: <strong>{name}</strong>
            </label>
            <input
              id={`${id}-name`}
              autoComplete="off"
              required
              value={typed}
              onChange={(event) => setTyped(event.currentTarget.value)}
            />
          </div>
          <ReasonField
            id={id}
            value={reason}
            onChange={setReason}
            kept="Kept for the clinic's staff on the erased record, never in the audit trail."
          />
          <div className="form__actions">
            <button
              type="submit"
              className="button button--small button--danger"
              disabled={!matches || !reason.trim() || tooLong || erase.isPending}
            >
              Erase this patient
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                erase.reset();
                setOpen(false);
                setTyped("");
                setReason("");
              }}
            >
              Cancel
            </button>
          </div>
          <ErrorText>{erase.isError ? errorMessage(erase.error) : null}</ErrorText>
        </form>
      )}
    </section>
  );
}
