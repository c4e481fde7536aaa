import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { BirthDate } from "../../ui/BirthDate";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { ChatIconLink } from "../ChatIconLink";
import { ChangeAppointment } from "./ChangeAppointment";
import { formatDay, formatSlot, statusNames, timeZoneName } from "./formatAppointment";

/**
 * Appointment Details, with the chat icon at the bottom of the window (entry point 2), and moving
 * or cancelling it while it is scheduled (ADMIN-4).
 */
export function AppointmentDetailsPage({ appointmentId }: { appointmentId: string }) {
  usePageTitle("Appointment Details");
  const trpc = useTRPC();
  const { timeZone } = useSession().clinic;
  const appointment = useQuery(trpc.appointments.get.queryOptions({ appointmentId }));
  return (
    <div className="page">
      <p>
        <Link to="/staff/appointments">← Appointments</Link>
      </p>
      <h1 tabIndex={-1}>Appointment Details</h1>
      {appointment.isPending ? <Loading /> : null}
      {appointment.isError ? <ErrorText>{errorMessage(appointment.error)}</ErrorText> : null}
      {appointment.data ? (
        <section className="card details">
          <dl className="details__list">
            <dt>Patient</dt>
            <dd>
              <Link to="/staff/patients/$patientId" params={{ patientId: appointment.data.patient.id }}>
                {appointment.data.patient.name}
              </Link>{" "}
              <BirthDate dateOfBirth={appointment.data.patient.dateOfBirth} />
            </dd>
            <dt>When</dt>
            <dd>
              {formatDay(appointment.data.startsAt, timeZone)},{" "}
              {formatSlot(appointment.data.startsAt, appointment.data.endsAt, timeZone)}{" "}
              <span className="hint">{timeZoneName(timeZone)}</span>
            </dd>
            <dt>Practitioner</dt>
            <dd>{appointment.data.practitioner.name}</dd>
            <dt>Status</dt>
            <dd>{statusNames[appointment.data.status] ?? appointment.data.status}</dd>
          </dl>
          <footer className="details__footer">
            <ChatIconLink
              patientId={appointment.data.patient.id}
              patientName={appointment.data.patient.name}
              startChat={appointment.data.startChat}
            />
          </footer>
        </section>
      ) : null}
      {appointment.data?.status === "scheduled" ? (
        <ChangeAppointment
          appointmentId={appointment.data.id}
          startsAt={appointment.data.startsAt}
          endsAt={appointment.data.endsAt}
        />
      ) : null}
    </div>
  );
}
