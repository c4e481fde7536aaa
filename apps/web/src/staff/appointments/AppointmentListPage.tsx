import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { BirthDate } from "../../ui/BirthDate";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { ChatIconLink } from "../ChatIconLink";
import { clinicMidnight } from "./appointmentTimes";
import { formatDay, formatSlot, statusNames, timeZoneName } from "./formatAppointment";

/**
 * The appointment list, a week at a time from the clinic's today, each with its chat icon (entry
 * point 2). Days and times are on the clinic's clock.
 */
export function AppointmentListPage() {
  usePageTitle("Appointments");
  const trpc = useTRPC();
  const { timeZone } = useSession().clinic;
  const [from, setFrom] = useState(() => clinicMidnight(new Date(), timeZone));
  const to = clinicMidnight(from, timeZone, 7);
  const list = useQuery(
    trpc.appointments.list.queryOptions({ from: from.toISOString(), to: to.toISOString(), limit: 200 }),
  );
  const days = new Map<string, NonNullable<typeof list.data>>();
  for (const a of list.data ?? []) {
    const day = formatDay(a.startsAt, timeZone);
    days.set(day, [...(days.get(day) ?? []), a]);
  }
  return (
    <div className="page">
      <h1 tabIndex={-1}>Appointments</h1>
      <p>
        <Link to="/staff/appointments/new" search={{}} className="button button--primary">
          Book an appointment
        </Link>
      </p>
      <div className="toolbar">
        <button
          type="button"
          className="button button--small"
          onClick={() => setFrom(clinicMidnight(from, timeZone, -7))}
        >
          Previous week
        </button>
        <p className="toolbar__label" aria-live="polite">
          {formatDay(from.toISOString(), timeZone)} to{" "}
          {formatDay(new Date(to.getTime() - 1).toISOString(), timeZone)}
        </p>
        <button type="button" className="button button--small" onClick={() => setFrom(to)}>
          Next week
        </button>
      </div>
      <p className="hint">Times are in the clinic's time zone: {timeZoneName(timeZone)}.</p>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorText>{errorMessage(list.error)}</ErrorText> : null}
      {list.data?.length === 0 ? <p>No appointments this week.</p> : null}
      {[...days].map(([day, appointments]) => (
        <section key={day} className="card" aria-label={day}>
          <h2>{day}</h2>
          <ul className="appointment-list">
            {appointments.map((a) => (
              <li key={a.id} className="appointment-row">
                <span className="appointment-row__time">{formatSlot(a.startsAt, a.endsAt, timeZone)}</span>
                <Link
                  to="/staff/appointments/$appointmentId"
                  params={{ appointmentId: a.id }}
                  className="appointment-row__patient"
                >
                  {a.patient.name}
                </Link>
                <BirthDate dateOfBirth={a.patient.dateOfBirth} />
                <span className="hint">
                  {a.practitioner.name} · {statusNames[a.status] ?? a.status}
                </span>
                <ChatIconLink patientId={a.patient.id} patientName={a.patient.name} startChat={a.startChat} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
