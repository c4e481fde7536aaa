import { useId } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { ErrorText, Loading } from "../../ui/Feedback";
import { Switch } from "../../ui/Switch";
import { usePageTitle } from "../../ui/usePageTitle";
import { useClinicSettings } from "./useClinicSettings";

/** The delays an admin picks from (NOTIF-1: 30 seconds to 60 minutes). */
const delayChoices = [30, 60, 120, 300, 600, 900, 1800, 3600] as const;

function delayLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/**
 * Clinic Settings › Notification Settings: the chat email notification, shown as always on
 * because it cannot be turned off (NOTIF-3), and the clinic's SMS switch.
 */
export function NotificationSettings() {
  usePageTitle("Notification settings");
  const id = useId();
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
          <div className="field">
            <label htmlFor={`${id}-delay`}>Wait before notifying</label>
            <select
              id={`${id}-delay`}
              value={clinic.data.settings.notificationDelaySeconds}
              disabled={readOnly || change.isPending}
              aria-describedby={`${id}-delay-hint`}
              onChange={(event) =>
                change.mutate({ notificationDelaySeconds: Number(event.currentTarget.value) })
              }
            >
              {[...new Set([...delayChoices, clinic.data.settings.notificationDelaySeconds])]
                .sort((a, b) => a - b)
                .map((seconds) => (
                  <option key={seconds} value={seconds}>
                    {delayLabel(seconds)}
                  </option>
                ))}
            </select>
            <span id={`${id}-delay-hint`} className="hint">
              Messages that arrive meanwhile join the same notification; nothing is sent if they are read
              first.
            </span>
          </div>
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
