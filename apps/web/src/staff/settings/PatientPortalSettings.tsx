import { useState } from "react";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import type { ClinicView } from "../../rpc/types";
import { Dialog } from "../../ui/Dialog";
import { ErrorText, Loading } from "../../ui/Feedback";
import { Switch } from "../../ui/Switch";
import { usePageTitle } from "../../ui/usePageTitle";
import { planNames, useClinicSettings } from "./useClinicSettings";

type Capability = "patientFileSharing" | "patientMessaging" | "teamChat";

const toggles: readonly {
  capability: Capability;
  setting: "patientFileSharingEnabled" | "patientMessagingEnabled" | "teamChatEnabled";
  label: string;
  description: string;
}[] = [
  {
    capability: "patientFileSharing",
    setting: "patientFileSharingEnabled",
    label: "File share with your patients",
    description: "Staff and patients send each other files (PDF, images, documents) in the portal.",
  },
  {
    capability: "patientMessaging",
    setting: "patientMessagingEnabled",
    label: "Message your patients",
    description: "Staff and patients write text messages to each other in the portal.",
  },
  {
    capability: "teamChat",
    setting: "teamChatEnabled",
    label: "Team Chat",
    description: "Staff message each other, one to one or in groups.",
  },
];

/** Why a capability's switch cannot be turned on, or what it means that it is on but idle (ENT-2, ENT-3). */
function planNote(clinic: ClinicView, capability: Capability, on: boolean): string | null {
  const needed = clinic.minimumPlan[capability];
  const decision = clinic.entitlements[capability];
  if (!decision.allowed && decision.reason === "PLAN_REQUIRED") {
    return on
      ? `On, but your ${planNames[clinic.plan]} plan doesn't include it, so it has no effect. Upgrade to ${planNames[needed]} to use it.`
      : `Included from the ${planNames[needed]} plan. Your clinic is on ${planNames[clinic.plan]}.`;
  }
  if (!decision.allowed && decision.reason === "PATIENT_CHAT_OFF" && on)
    return "Takes effect when chat for your patients is turned on above.";
  return null;
}

/**
 * Clinic Settings › Patient Portal: the chat master switch (off by default), then file sharing,
 * messages and Team Chat, each explained against the plan (PRODUCT.md §1). Admins change them;
 * other staff see them. Switching patient chat off asks first: every patient's chat pauses at once
 * (ENT-3).
 */
export function PatientPortalSettings() {
  usePageTitle("Patient Portal settings");
  const me = useSession();
  const { clinic, change } = useClinicSettings();
  const isAdmin = me.role === "admin";
  const readOnly = !isAdmin;
  const [confirmingOff, setConfirmingOff] = useState(false);
  return (
    <div className="page">
      <h1 tabIndex={-1}>Patient Portal</h1>
      <p className="page__lede">Clinic Settings › Patient Portal</p>
      {clinic.isPending ? <Loading /> : null}
      {clinic.isError ? <ErrorText>{errorMessage(clinic.error)}</ErrorText> : null}
      {clinic.data ? (
        <>
          <section className="card" aria-labelledby="plan-title">
            <h2 id="plan-title">Your plan: {planNames[clinic.data.plan]}</h2>
            <ul className="plan-list">
              <li aria-current={clinic.data.plan === "starter" || undefined}>
                <strong>Starter</strong> — file share with your patients.
              </li>
              <li aria-current={clinic.data.plan === "enhanced" || undefined}>
                <strong>Enhanced</strong> — file share and message your patients.
              </li>
              <li aria-current={clinic.data.plan === "premium" || undefined}>
                <strong>Premium</strong> — file share and message your patients, and Team Chat with your
                staff.
              </li>
            </ul>
            <p className="hint">
              Patients can only receive messages and files once they have an active Patient Portal account.
            </p>
          </section>
          <section className="card" aria-labelledby="chat-title">
            <h2 id="chat-title">Chat</h2>
            {readOnly ? <p className="hint">Only a clinic admin can change these settings.</p> : null}
            <Switch
              label="Chat for your patients available in Patient Portal"
              description="While this is off, patients can only read their past conversations and files, and nothing can be sent either way."
              checked={clinic.data.settings.patientChatEnabled}
              disabled={readOnly}
              busy={change.isPending}
              onChange={(value) =>
                value ? change.mutate({ patientChatEnabled: true }) : setConfirmingOff(true)
              }
            />
            <Dialog
              open={confirmingOff}
              title="Pause chat for your patients?"
              onClose={() => setConfirmingOff(false)}
            >
              <p>
                Patients will no longer be able to send or receive messages and files in the Patient Portal.
                They can still read their conversations and download their files, with a note that the clinic
                paused chat. Nothing is deleted, and you can turn it back on at any time.
              </p>
              <div className="form__actions">
                <button
                  type="button"
                  className="button button--danger"
                  onClick={() => {
                    setConfirmingOff(false);
                    change.mutate({ patientChatEnabled: false });
                  }}
                >
                  Turn off chat for patients
                </button>
                <button type="button" className="button" onClick={() => setConfirmingOff(false)}>
                  Keep it on
                </button>
              </div>
            </Dialog>
            {toggles.map((toggle) => {
              const on = clinic.data.settings[toggle.setting];
              const note = planNote(clinic.data, toggle.capability, on);
              const decision = clinic.data.entitlements[toggle.capability];
              // ENT-2: the server refuses turning on what the plan lacks; turning off always works.
              const planBlocksOn = !on && !decision.allowed && decision.reason === "PLAN_REQUIRED";
              return (
                <Switch
                  key={toggle.setting}
                  label={toggle.label}
                  description={note ? `${toggle.description} ${note}` : toggle.description}
                  checked={on}
                  disabled={readOnly}
                  disabledReason={
                    planBlocksOn
                      ? `Needs the ${planNames[clinic.data.minimumPlan[toggle.capability]]} plan.`
                      : null
                  }
                  busy={change.isPending}
                  onChange={(value) => change.mutate({ [toggle.setting]: value })}
                />
              );
            })}
            <ErrorText>{change.isError ? errorMessage(change.error) : null}</ErrorText>
          </section>
        </>
      ) : null}
    </div>
  );
}
