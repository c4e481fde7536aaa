import { useSession } from "../../auth/session";
import { TemplatesEditor } from "../../chat/templates/TemplatesEditor";
import { usePageTitle } from "../../ui/usePageTitle";

/** Clinic Settings › Templates (TPL-1): the clinic's reply templates; admins change them. */
export function TemplateSettings() {
  usePageTitle("Templates");
  const me = useSession();
  const isAdmin = me.role === "admin";
  return (
    <div className="page">
      <h1 tabIndex={-1}>Templates</h1>
      <p className="page__lede">Clinic Settings › Templates</p>
      <section className="card" aria-labelledby="clinic-templates">
        <h2 id="clinic-templates">Clinic templates</h2>
        <p className="hint">
          Every staff member can insert these by typing / at the start of a message.
          {isAdmin ? "" : " Only a clinic admin can change them; your own are in My Account."}
        </p>
        <TemplatesEditor scope="clinic" canEdit={isAdmin} />
      </section>
    </div>
  );
}
