import { type FormEvent, useId, useState } from "react";
import { errorMessage } from "../../../rpc/errors";
import { ErrorText, Loading } from "../../../ui/Feedback";
import { shortDateTime } from "../useTeam";
import { useIntegrations } from "./useIntegrations";

/** A new credential, shown once: the host system needs both values; the secret is kept nowhere. */
interface Revealed {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** INTEG-1: the clinic's API credentials: make one (its secret shown once), see when each was last used, revoke it. */
export function CredentialsSection() {
  const id = useId();
  const { credentials, create, revoke } = useIntegrations();
  const [name, setName] = useState("");
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name },
      {
        onSuccess: ({ credential, clientId, clientSecret }) => {
          setRevealed({ name: credential.name, clientId, clientSecret });
          setName("");
        },
      },
    );
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>API credentials</h2>
      <p className="hint">
        Your practice-management system signs in with one of these to send patients, practitioners and
        appointments.
      </p>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={80}
            required
            placeholder="e.g. Front office system"
            onChange={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <button type="submit" className="button" disabled={create.isPending || name.trim() === ""}>
          Create credential
        </button>
      </form>
      <ErrorText>{create.isError ? errorMessage(create.error) : null}</ErrorText>
      {revealed ? (
        <div className="notice" role="status">
          <p>
            <strong>Copy the secret of “{revealed.name}” now.</strong> It is shown only once.
          </p>
          <dl className="details__list">
            <dt>Client id</dt>
            <dd>
              <code data-testid="client-id">{revealed.clientId}</code>
            </dd>
            <dt>Client secret</dt>
            <dd>
              <code data-testid="client-secret">{revealed.clientSecret}</code>
            </dd>
          </dl>
          <button type="button" className="button button--secondary" onClick={() => setRevealed(null)}>
            I have copied it
          </button>
        </div>
      ) : null}
      {credentials.isPending ? <Loading /> : null}
      {credentials.isError ? <ErrorText>{errorMessage(credentials.error)}</ErrorText> : null}
      {credentials.data && credentials.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--dense">
            <caption className="visually-hidden">API credentials</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {credentials.data.map((credential) => (
                <tr key={credential.id}>
                  <td>{credential.name}</td>
                  <td>{shortDateTime(credential.createdAt)}</td>
                  <td>{shortDateTime(credential.lastUsedAt)}</td>
                  <td>
                    {credential.revokedAt ? (
                      <span>Revoked {shortDateTime(credential.revokedAt)}</span>
                    ) : (
                      <button
                        type="button"
                        className="button button--danger"
                        disabled={revoke.isPending}
                        aria-label={`Revoke ${credential.name}`}
                        onClick={() => revoke.mutate({ credentialId: credential.id })}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {credentials.data?.length === 0 ? <p>No credentials yet.</p> : null}
      <ErrorText>{revoke.isError ? errorMessage(revoke.error) : null}</ErrorText>
    </section>
  );
}
