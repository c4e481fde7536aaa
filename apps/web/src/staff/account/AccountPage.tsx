import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChangePasswordForm } from "../../auth/ChangePasswordForm";
import { useSession } from "../../auth/session";
import { useSignOut } from "../../auth/useSignOut";
import { TemplatesEditor } from "../../chat/templates/TemplatesEditor";
import { errorMessage } from "../../rpc/errors";
import { useTRPC } from "../../rpc/trpc";
import { ErrorText, Loading } from "../../ui/Feedback";
import { Switch } from "../../ui/Switch";
import { usePageTitle } from "../../ui/usePageTitle";

/**
 * My Account: for practitioners, Scheduling Preferences › Available for Chat with Patients (ELIG-2); my chat emails
 * (NOTIF-3), changing my password (ACC-2), and signing out on every device.
 */
export function AccountPage() {
  usePageTitle("My Account");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useSession();
  const signOut = useSignOut("staff");
  const settings = useQuery(trpc.account.settings.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.settings.queryKey() });
  const availability = useMutation(trpc.people.setAvailability.mutationOptions({ onSettled: refresh }));
  const emails = useMutation(trpc.account.setEmailNotifications.mutationOptions({ onSettled: refresh }));
  const everywhere = useMutation(
    trpc.auth.signOutEverywhere.mutationOptions({ onSuccess: () => void signOut("signedOut") }),
  );
  return (
    <div className="page">
      <h1 tabIndex={-1}>My Account</h1>
      <p className="page__lede">
        {me.name} · {me.clinic.name}
      </p>
      {settings.isPending ? <Loading /> : null}
      {settings.isError ? <ErrorText>{errorMessage(settings.error)}</ErrorText> : null}
      {settings.data ? (
        <>
          {/* ELIG-2: only practitioners are offered to patients, so only they have the toggle. */}
          {settings.data.role === "practitioner" ? (
            <section className="card" aria-labelledby="scheduling">
              <h2 id="scheduling">Scheduling Preferences</h2>
              <Switch
                label="Available for Chat with Patients"
                description="When this is No, patients can't start a chat with you from the portal. You can still start chats, be added to chats and reply in your conversations."
                checked={settings.data.availableForPatientChat}
                busy={availability.isPending}
                onChange={(available) => availability.mutate({ available })}
              />
              <ErrorText>{availability.isError ? errorMessage(availability.error) : null}</ErrorText>
            </section>
          ) : null}
          <section className="card" aria-labelledby="my-templates">
            <h2 id="my-templates">My templates</h2>
            <p className="hint">Only you see these. Type / at the start of a message to insert one.</p>
            <TemplatesEditor scope="personal" canEdit />
          </section>
          <section className="card" aria-labelledby="my-notifications">
            <h2 id="my-notifications">My notifications</h2>
            <Switch
              label="Email me about new messages from patients"
              description="One email per burst of messages, without their content."
              checked={settings.data.emailNotifications}
              busy={emails.isPending}
              onChange={(enabled) => emails.mutate({ enabled })}
            />
            <ErrorText>{emails.isError ? errorMessage(emails.error) : null}</ErrorText>
          </section>
        </>
      ) : null}
      <ChangePasswordForm />
      <section className="card" aria-labelledby="sessions">
        <h2 id="sessions">Sessions</h2>
        <p className="hint">
          Signed in on another computer and not sure you signed out? End every session of your account.
        </p>
        <button
          type="button"
          className="button"
          onClick={() => everywhere.mutate({})}
          disabled={everywhere.isPending}
        >
          Sign out on every device
        </button>
        <ErrorText>{everywhere.isError ? errorMessage(everywhere.error) : null}</ErrorText>
      </section>
    </div>
  );
}
