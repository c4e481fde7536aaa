import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { BirthDate } from "../../ui/BirthDate";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { ChatIconLink } from "../ChatIconLink";
import { formatDay, formatSlot, statusNames } from "./formatAppointment";

const dayMs = 24 * 60 * 60 * 1000;

function startOfToday(): Date {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** The appointment list, a week at a time, each with its chat icon (entry point 2). */
export function AppointmentListPage() {
  usePageTitle("Appointments");
  const trpc = useTRPC();
  const [from, setFrom] = useState(startOfToday);
  const to = new Date(from.getTime() + 7 * dayMs);
  const list = useQuery(
    trpc.appointments.list.queryOptions({ from: from.toISOString(), to: to.toISOString(), limit: 200 }),
  );
  const days = new Map<string, NonNullable<typeof list.data>>();
  for (const a of list.data ?? []) {
    const day = formatDay(a.startsAt);
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
          onClick={() => setFrom(new Date(from.getTime() - 7 * dayMs))}
        >
          Previous week
        </button>
        <p className="toolbar__label" aria-live="polite">
          {formatDay(from.toISOString())} to {formatDay(new Date(to.getTime() - 1).toISOString())}
        </p>
        <button
          type="button"
          className="button button--small"
          onClick={() => setFrom(new Date(from.getTime() + 7 * dayMs))}
        >
          Next week
        </button>
      </div>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorText>{errorMessage(list.error)}</ErrorText> : null}
      {list.data?.length === 0 ? <p>No appointments this week.</p> : null}
      {[...days].map(([day, appointments]) => (
        <section key={day} className="card" aria-label={day}>
          <h2>{day}</h2>
          <ul className="appointment-list">
            {appointments.map((a) => (
              <li key={a.id} className="appointment-row">
                <span className="appointment-row__time">{formatSlot(a.startsAt, a.endsAt)}</span>
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
