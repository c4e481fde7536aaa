import { useSession } from "../../../auth/session";
import { usePageTitle } from "../../../ui/usePageTitle";
import { CredentialsSection } from "./CredentialsSection";

/**
 * Clinic Settings › Integrations: how the clinic's practice-management system reaches Clinic Chat
 * (INTEG-1 … INTEG-3). Admins manage the API credentials; everyone sees the addresses the host uses.
 */
export function IntegrationsPage() {
  usePageTitle("Integrations");
  const me = useSession();
  const origin = window.location.origin;
  return (
    <div className="page">
      <h1 tabIndex={-1}>Integrations</h1>
      <p className="page__lede">Clinic Settings › Integrations</p>
      {me.role === "admin" ? (
        <CredentialsSection />
      ) : (
        <p className="hint">Only a clinic admin can manage API credentials.</p>
      )}
      <section className="card" aria-labelledby="integrations-addresses">
        <h2 id="integrations-addresses">Addresses for your practice-management system</h2>
        <dl className="address-list">
          <dt>FHIR R4 endpoint</dt>
          <dd>
            <code>{`${origin}/fhir/R4`}</code>
          </dd>
          <dt>Token endpoint (OAuth2 client credentials)</dt>
          <dd>
            <code>{`${origin}/fhir/token`}</code>
          </dd>
          <dt>Chat icon of a patient</dt>
          <dd>
            <code>{`${origin}/staff/open?patient=system|value`}</code>
          </dd>
          <dt>Chat icon of an appointment</dt>
          <dd>
            <code>{`${origin}/staff/open?appointment=system|value`}</code>
          </dd>
        </dl>
      </section>
    </div>
  );
}
