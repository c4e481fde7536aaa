import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import type { PersonView } from "../../rpc/types";
import { ErrorText } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { AppointmentTimeInputs } from "./AppointmentTimeInputs";
import { instantsOf, suggestedTimeFields, type TimeFields } from "./appointmentTimes";
import { PersonPicker } from "./PersonPicker";

/**
 * Book an appointment (ADMIN-4): patient, practitioner, day, time and length. Opened from the
 * Appointments page, or from a Patient File with that patient already chosen.
 */
export function BookAppointmentPage({ patientId }: { patientId?: string | undefined }) {
  usePageTitle("Book an appointment");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { timeZone } = useSession().clinic;
  const file = useQuery({
    ...trpc.patients.get.queryOptions({ patientId: patientId ?? "" }),
    enabled: !!patientId,
  });
  const [patient, setPatient] = useState<PersonView | null>(null);
  const [practitioner, setPractitioner] = useState<PersonView | null>(null);
  const [missing, setMissing] = useState<{ patient?: string; practitioner?: string }>({});
  const form = useForm<TimeFields>({ defaultValues: suggestedTimeFields(timeZone) });
  const chosenPatient = patient ?? (patientId && file.data ? file.data.person : null);
  const book = useMutation(
    trpc.appointments.create.mutationOptions({
      onSuccess: async (booked) => {
        await queryClient.invalidateQueries({ queryKey: trpc.appointments.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.patients.pathKey() });
        await navigate({ to: "/staff/appointments/$appointmentId", params: { appointmentId: booked.id } });
      },
    }),
  );
  const submit = form.handleSubmit((fields) => {
    const times = instantsOf(fields, timeZone);
    const problems = {
      ...(chosenPatient ? {} : { patient: "Choose the patient." }),
      ...(practitioner ? {} : { practitioner: "Choose the practitioner." }),
    };
    setMissing(problems);
    if (!times || !chosenPatient || !practitioner) return;
    book.mutate({ patientId: chosenPatient.id, practitionerId: practitioner.id, ...times });
  });
  return (
    <div className="page page--narrow">
      <p>
        <Link to="/staff/appointments">← Appointments</Link>
      </p>
      <h1 tabIndex={-1}>Book an appointment</h1>
      <form className="form card" noValidate onSubmit={submit}>
        <PersonPicker
          kind="patient"
          label="Patient"
          chosen={chosenPatient}
          onChoose={(p) => {
            setPatient(p);
            if (!p && patientId) void navigate({ to: "/staff/appointments/new", search: {} });
          }}
          error={missing.patient}
        />
        <PersonPicker
          kind="staff"
          label="Practitioner"
          chosen={practitioner}
          onChoose={setPractitioner}
          error={missing.practitioner}
        />
        <AppointmentTimeInputs form={form} idPrefix="book" timeZone={timeZone} />
        <ErrorText>{book.isError ? errorMessage(book.error) : null}</ErrorText>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={book.isPending}>
            {book.isPending ? "Booking…" : "Book appointment"}
          </button>
        </div>
      </form>
    </div>
  );
}
