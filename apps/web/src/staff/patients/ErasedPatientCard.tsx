import { Link } from "@tanstack/react-router";
import { useSession } from "../../auth/session";
import { formatMoment } from "./ReasonField";

/**
 * The Patient File of an erased patient (REC-2): nothing of who they were, only when, by whom and
 * why they were erased, and (for admins) the way to the audit trail that still names them by id.
 */
export function ErasedPatientCard({
  patientId,
  erasure,
}: {
  patientId: string;
  erasure: { at: string; by: { name: string }; reason: string };
}) {
  const session = useSession();
  return (
    <section className="card details" aria-labelledby="patient-name">
      <h2 id="patient-name">Erased patient</h2>
      <p>
        This patient was erased. Their details, messages and files are gone for good; their conversations show
        only who deleted what and when.
      </p>
      <dl className="details__list">
        <dt>Erased by</dt>
        <dd>{erasure.by.name || "A former admin"}</dd>
        <dt>When</dt>
        <dd>
          <time dateTime={erasure.at}>{formatMoment(erasure.at, session.clinic.timeZone)}</time>
        </dd>
        <dt>Reason</dt>
        <dd className="legal-hold__reason">{erasure.reason}</dd>
      </dl>
      {session.role === "admin" ? (
        <p>
          <Link to="/staff/audit" search={{ patient: patientId }} className="button button--small">
            Audit trail for this patient
          </Link>
        </p>
      ) : null}
    </section>
  );
}
