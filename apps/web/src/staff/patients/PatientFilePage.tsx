import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { BirthDate } from "../../ui/BirthDate";
import { ErrorText, Loading, StatusText } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { formatDay, formatSlot, statusNames, timeZoneName } from "../appointments/formatAppointment";
import { ChatIconLink } from "../ChatIconLink";
import { ErasedPatientCard } from "./ErasedPatientCard";
import { ErasePatientCard } from "./ErasePatientCard";
import { LegalHoldCard } from "./LegalHoldCard";
import { detailsOf, PatientForm } from "./PatientForm";
import { PortalAccessButton } from "./PortalAccessButton";
import { portalStateNames } from "./portalStates";

/**
 * The Patient File: contact facts, Patient Portal state (with the invitation that makes the
 * patient reachable, ELIG-1), appointments, and the chat icon in the bottom left (entry point 3).
 */
export function PatientFilePage({ patientId }: { patientId: string }) {
  usePageTitle("Patient File");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = useSession();
  const { timeZone } = session.clinic;
  const file = useQuery(trpc.patients.get.queryOptions({ patientId }));
  const invite = useMutation(
    trpc.patients.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.patients.get.queryKey({ patientId }) }),
    }),
  );
  const [editing, setEditing] = useState(false);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.patients.get.queryKey({ patientId }) });
  const save = useMutation(
    trpc.patients.edit.mutationOptions({
      onSuccess: async () => {
        setEditing(false);
        await refresh();
        await queryClient.invalidateQueries({ queryKey: ["staff", "patients"] });
      },
    }),
  );
  const data = file.data;
  return (
    <div className="page patient-file">
      <p>
        <Link to="/staff/patients">← Patients</Link>
      </p>
      <h1 tabIndex={-1}>Patient File</h1>
      {file.isPending ? <Loading /> : null}
      {file.isError ? <ErrorText>{errorMessage(file.error)}</ErrorText> : null}
      {data?.erasure ? <ErasedPatientCard patientId={patientId} erasure={data.erasure} /> : null}
      {data && !data.erasure ? (
        <>
          <section className="card details" aria-labelledby="patient-name">
            <h2 id="patient-name">{data.person.name}</h2>
            {editing ? (
              <PatientForm
                initial={{
                  name: data.person.name,
                  dateOfBirth: data.person.dateOfBirth ?? "",
                  email: data.email ?? "",
                  mobilePhone: data.mobilePhone ?? "",
                  smsConsent: data.smsConsent,
                  hostId: data.hostId ?? "",
                }}
                submitLabel="Save"
                pending={save.isPending}
                error={save.error}
                onSubmit={(values) => save.mutate({ patientId, details: detailsOf(values) })}
                onCancel={() => {
                  save.reset();
                  setEditing(false);
                }}
              />
            ) : (
              <button type="button" className="button button--small" onClick={() => setEditing(true)}>
                Edit details
              </button>
            )}
            <dl className="details__list">
              <dt>Date of birth</dt>
              <dd>
                {data.person.dateOfBirth ? (
                  <BirthDate dateOfBirth={data.person.dateOfBirth} />
                ) : (
                  "Not on file"
                )}
              </dd>
              <dt>Host system id</dt>
              <dd>{data.hostId ?? "Not on file"}</dd>
              <dt>Email</dt>
              <dd>{data.email ?? "Not on file"}</dd>
              <dt>Mobile phone</dt>
              <dd>{data.mobilePhone ?? "Not on file"}</dd>
              <dt>SMS</dt>
              <dd>{data.smsConsent ? "Agreed to SMS" : "No SMS consent"}</dd>
              <dt>Patient Portal</dt>
              <dd>
                <span className={`pill pill--${data.portalAccount}`}>
                  {portalStateNames[data.portalAccount]}
                </span>
                {(data.portalAccount === "none" || data.portalAccount === "invited") && data.email ? (
                  <button
                    type="button"
                    className="button button--small details__inline-action"
                    onClick={() => invite.mutate({ patientId })}
                    disabled={invite.isPending}
                  >
                    {data.portalAccount === "invited"
                      ? "Send the invitation again"
                      : "Invite to Patient Portal"}
                  </button>
                ) : null}
                <PortalAccessButton
                  patientId={patientId}
                  portalAccount={data.portalAccount}
                  onChanged={refresh}
                />
              </dd>
            </dl>
            {invite.isSuccess ? <StatusText>The invitation email is on its way.</StatusText> : null}
            <ErrorText>{invite.isError ? errorMessage(invite.error) : null}</ErrorText>
          </section>
          {session.role === "admin" ? (
            <section className="card" aria-labelledby="patient-records">
              <h2 id="patient-records">Records</h2>
              <p>
                <Link to="/staff/audit" search={{ patient: patientId }} className="button button--small">
                  Audit trail for this patient
                </Link>
              </p>
            </section>
          ) : null}
          <section className="card" aria-labelledby="patient-appointments">
            <h2 id="patient-appointments">Appointments</h2>
            <p>
              <Link to="/staff/appointments/new" search={{ patientId }} className="button button--small">
                Book an appointment
              </Link>
            </p>
            {data.appointments.length === 0 ? (
              <p className="hint">No appointments.</p>
            ) : (
              <p className="hint">Times are in the clinic's time zone: {timeZoneName(timeZone)}.</p>
            )}
            <ul className="appointment-list">
              {data.appointments.map((a) => (
                <li key={a.id} className="appointment-row">
                  <Link to="/staff/appointments/$appointmentId" params={{ appointmentId: a.id }}>
                    {formatDay(a.startsAt, timeZone)}, {formatSlot(a.startsAt, a.endsAt, timeZone)}
                  </Link>
                  <span className="hint">
                    {a.practitioner.name} · {statusNames[a.status] ?? a.status}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <LegalHoldCard patientId={patientId} />
          {session.role === "admin" ? (
            <ErasePatientCard patientId={patientId} name={data.person.name} />
          ) : null}
          <footer className="patient-file__footer">
            <ChatIconLink
              patientId={data.person.id}
              patientName={data.person.name}
              startChat={data.startChat}
            />
          </footer>
        </>
      ) : null}
    </div>
  );
}
