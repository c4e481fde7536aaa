import { useId } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { useClinicSettings } from "./useClinicSettings";

const choices = [1, 2, 5, 10, 15] as const;

/** Clinic Settings › Security: how soon an idle session ends (SEC-2: at most 15 minutes). */
export function SecuritySettings() {
  usePageTitle("Security settings");
  const id = useId();
  const me = useSession();
  const { clinic, change } = useClinicSettings();
  const isAdmin = me.role === "admin";
  return (
    <div className="page">
      <h1 tabIndex={-1}>Security</h1>
      <p className="page__lede">Clinic Settings › Security</p>
      {clinic.isPending ? <Loading /> : null}
      {clinic.isError ? <ErrorText>{errorMessage(clinic.error)}</ErrorText> : null}
      {clinic.data ? (
        <section className="card" aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>Automatic sign-out</h2>
          <div className="field">
            <label htmlFor={`${id}-idle`}>Sign out after this long without activity</label>
            <select
              id={`${id}-idle`}
              value={clinic.data.settings.idleTimeoutMinutes}
              disabled={!isAdmin || change.isPending}
              aria-describedby={`${id}-hint`}
              onChange={(event) => change.mutate({ idleTimeoutMinutes: Number(event.currentTarget.value) })}
            >
              {[...new Set([...choices, clinic.data.settings.idleTimeoutMinutes])]
                .sort((a, b) => a - b)
                .map((minutes) => (
                  <option key={minutes} value={minutes}>
                    {minutes === 1 ? "1 minute" : `${minutes} minutes`}
                  </option>
                ))}
            </select>
            <span id={`${id}-hint`} className="hint">
              {isAdmin
                ? "Everyone is warned a little before. Sessions also end 12 hours after sign-in."
                : "Only a clinic admin can change this."}
            </span>
          </div>
          <ErrorText>{change.isError ? errorMessage(change.error) : null}</ErrorText>
        </section>
      ) : null}
    </div>
  );
}
