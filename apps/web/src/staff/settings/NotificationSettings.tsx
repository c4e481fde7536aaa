import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { ErrorText, Loading } from "../../ui/Feedback";
import { Switch } from "../../ui/Switch";
import { usePageTitle } from "../../ui/usePageTitle";
import { useClinicSettings } from "./useClinicSettings";

/**
 * Clinic Settings › Notification Settings: the chat email notification, shown as always on
 * because it cannot be turned off (NOTIF-3), and the clinic's SMS switch.
 */
export function NotificationSettings() {
  usePageTitle("Notification settings");
  const me = useSession();
  const { clinic, change } = useClinicSettings();
  const readOnly = me.role !== "admin";
  return (
    <div className="page">
      <h1 tabIndex={-1}>Notification Settings</h1>
      <p className="page__lede">Clinic Settings › Notification Settings</p>
      {clinic.isPending ? <Loading /> : null}
      {clinic.isError ? <ErrorText>{errorMessage(clinic.error)}</ErrorText> : null}
      {clinic.data ? (
        <section className="card" aria-labelledby="chat-notifications">
          <h2 id="chat-notifications">Chat</h2>
          {readOnly ? <p className="hint">Only a clinic admin can change these settings.</p> : null}
          <p className="hint">
            When patients have new messages they get one notification per burst, a short while after the first
            one. Notifications never include the message, the file or the patient's name.
          </p>
          <Switch
            label="Chat email notification"
            description="Always on: patients are always emailed about new secure messages."
            checked
            disabledReason="This notification is required and can't be turned off."
          />
          <Switch
            label="Chat SMS notification"
            description="Also text patients who gave a mobile number and agreed to SMS."
            checked={clinic.data.settings.smsNotificationsEnabled}
            disabled={readOnly}
            busy={change.isPending}
            onChange={(value) => change.mutate({ smsNotificationsEnabled: value })}
          />
          <ErrorText>{change.isError ? errorMessage(change.error) : null}</ErrorText>
        </section>
      ) : null}
    </div>
  );
}
