import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, StatusText } from "../../ui/Feedback";
import { AppointmentTimeInputs } from "./AppointmentTimeInputs";
import { instantsOf, type TimeFields, timeFieldsOf } from "./appointmentTimes";

/** Move (reschedule) or cancel a scheduled appointment (ADMIN-4), on Appointment Details. */
export function ChangeAppointment({
  appointmentId,
  startsAt,
  endsAt,
}: {
  appointmentId: string;
  startsAt: string;
  endsAt: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { timeZone } = useSession().clinic;
  const [mode, setMode] = useState<"idle" | "move" | "cancel">("idle");
  const form = useForm<TimeFields>({
    defaultValues: timeFieldsOf(new Date(startsAt), new Date(endsAt), timeZone),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.appointments.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.patients.pathKey() });
    setMode("idle");
  };
  const move = useMutation(trpc.appointments.move.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.appointments.cancel.mutationOptions({ onSuccess: refresh }));
  const submit = form.handleSubmit((fields) => {
    const times = instantsOf(fields, timeZone);
    if (times) move.mutate({ appointmentId, ...times });
  });
  return (
    <section className="card" aria-labelledby="change-appointment">
      <h2 id="change-appointment">Change this appointment</h2>
      {move.isSuccess && mode === "idle" ? <StatusText>The appointment is moved.</StatusText> : null}
      {mode === "move" ? (
        <form className="form" noValidate onSubmit={submit}>
          <AppointmentTimeInputs form={form} idPrefix="move" timeZone={timeZone} />
          <ErrorText>{move.isError ? errorMessage(move.error) : null}</ErrorText>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={move.isPending}>
              Move appointment
            </button>
            <button type="button" className="button" onClick={() => setMode("idle")}>
              Keep the time
            </button>
          </div>
        </form>
      ) : mode === "cancel" ? (
        <div className="form">
          <p>Cancel this appointment? It stays in the book as cancelled.</p>
          <ErrorText>{cancel.isError ? errorMessage(cancel.error) : null}</ErrorText>
          <div className="form__actions">
            <button
              type="button"
              className="button button--danger"
              onClick={() => cancel.mutate({ appointmentId })}
              disabled={cancel.isPending}
            >
              Yes, cancel the appointment
            </button>
            <button type="button" className="button" onClick={() => setMode("idle")}>
              No, keep it
            </button>
          </div>
        </div>
      ) : (
        <div className="form__actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              // Starts from the appointment's time as it is now, after any earlier move.
              form.reset(timeFieldsOf(new Date(startsAt), new Date(endsAt), timeZone));
              setMode("move");
            }}
          >
            Move
          </button>
          <button type="button" className="button" onClick={() => setMode("cancel")}>
            Cancel appointment
          </button>
        </div>
      )}
    </section>
  );
}
