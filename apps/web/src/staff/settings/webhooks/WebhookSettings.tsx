import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { useSession } from "../../../auth/session";
import { errorMessage } from "../../../rpc/errors";
import { ErrorText, Loading } from "../../../ui/Feedback";
import { usePageTitle } from "../../../ui/usePageTitle";
import { shortDateTime } from "../useTeam";
import { DeliveryLog } from "./DeliveryLog";
import { useWebhooks } from "./useWebhooks";
import "./webhooks.css";

/** The same rule the server applies (INTEG-4), said before the round trip. */
function checkUrl(value: string): true | string {
  const url = value.trim();
  if (url === "") return "Enter the address of your system's webhook endpoint.";
  if (!/^https:\/\//i.test(url))
    return "Webhooks are only sent over HTTPS. Enter an address that starts with https://.";
  return true;
}

/**
 * Clinic Settings › Webhooks (INTEG-4): an admin registers HTTPS endpoints of the clinic's
 * practice-management system, sees each signing secret once, switches endpoints on and off,
 * deletes them, and reads each one's delivery log.
 */
export function WebhookSettings() {
  usePageTitle("Webhooks");
  const id = useId();
  const me = useSession();
  const actions = useWebhooks();
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const form = useForm<{ url: string }>({ defaultValues: { url: "" } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ url }) =>
    actions.register.mutate(
      { url: url.trim() },
      {
        onSuccess: (answer) => {
          setSecret({ url: answer.endpoint.url, secret: answer.secret });
          form.reset({ url: "" });
        },
      },
    ),
  );
  if (me.role !== "admin")
    return (
      <div className="page">
        <h1 tabIndex={-1}>Webhooks</h1>
        <p className="page__lede">Clinic Settings › Webhooks</p>
        <p>Only a clinic admin manages webhooks.</p>
      </div>
    );
  const failed = [actions.setEnabled, actions.remove].find((m) => m.isError);
  return (
    <div className="page webhooks">
      <h1 tabIndex={-1}>Webhooks</h1>
      <p className="page__lede">Clinic Settings › Webhooks</p>
      <p>
        Your practice-management system can be told when unread counts change and when conversations start,
        close or are assigned. Requests carry ids and counts only, never names or messages, and are signed so
        your system can check they come from us.
      </p>
      <section className="card" aria-labelledby={`${id}-add`}>
        <h2 id={`${id}-add`}>Add an endpoint</h2>
        <form className="form" noValidate onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-url`}>Endpoint address (HTTPS)</label>
            <input
              id={`${id}-url`}
              type="text"
              inputMode="url"
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              placeholder="https://"
              aria-invalid={errors.url ? true : undefined}
              aria-describedby={errors.url ? `${id}-url-error` : undefined}
              {...form.register("url", { validate: checkUrl })}
            />
            <ErrorText id={`${id}-url-error`}>{errors.url?.message}</ErrorText>
          </div>
          <ErrorText>{actions.register.isError ? errorMessage(actions.register.error) : null}</ErrorText>
          <button type="submit" className="button button--primary" disabled={actions.register.isPending}>
            {actions.register.isPending ? "Adding…" : "Add endpoint"}
          </button>
        </form>
        {secret ? (
          <div className="notice" role="status">
            <p>
              <strong>Copy this signing secret now.</strong> It is shown only once; your system needs it to
              check each request's signature.
            </p>
            <p>
              <code className="secret">{secret.secret}</code>
            </p>
            <button type="button" className="button" onClick={() => setSecret(null)}>
              I have copied it
            </button>
          </div>
        ) : null}
      </section>
      {actions.endpoints.isPending ? <Loading /> : null}
      {actions.endpoints.isError ? <ErrorText>{errorMessage(actions.endpoints.error)}</ErrorText> : null}
      <ErrorText>{failed ? errorMessage(failed.error) : null}</ErrorText>
      {actions.endpoints.data?.length === 0 ? <p>No endpoints yet.</p> : null}
      {actions.endpoints.data?.map((endpoint, i) => {
        const labelId = `${id}-endpoint-${i}`;
        return (
          <section key={endpoint.id} className="card" aria-labelledby={labelId}>
            <h2 id={labelId} className="break-anywhere">
              {endpoint.url}
            </h2>
            <p className="hint">
              {endpoint.enabled ? "Enabled" : "Disabled"} · added {shortDateTime(endpoint.createdAt)}
            </p>
            <div className="button-row">
              <button
                type="button"
                className="button"
                disabled={actions.setEnabled.isPending}
                onClick={() =>
                  actions.setEnabled.mutate({ endpointId: endpoint.id, enabled: !endpoint.enabled })
                }
              >
                {endpoint.enabled ? "Disable" : "Enable"}
                <span className="visually-hidden"> {endpoint.url}</span>
              </button>
              <button
                type="button"
                className="button button--danger"
                disabled={actions.remove.isPending}
                onClick={() => {
                  if (window.confirm("Delete this endpoint? Events waiting for it are dropped.")) {
                    actions.remove.mutate({ endpointId: endpoint.id });
                  }
                }}
              >
                Delete<span className="visually-hidden"> {endpoint.url}</span>
              </button>
            </div>
            <h3>Delivery log</h3>
            <DeliveryLog endpoint={endpoint} labelId={labelId} />
          </section>
        );
      })}
    </div>
  );
}
