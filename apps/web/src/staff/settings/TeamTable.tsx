import { errorMessage } from "../../rpc/errors";
import type { Outputs } from "../../rpc/types";
import { ErrorText } from "../../ui/Feedback";
import { roleNames, roles, shortDateTime, type useTeam } from "./useTeam";

type Team = Outputs["team"]["list"];
type Actions = ReturnType<typeof useTeam>;

const statusNames = { active: "Active", deactivated: "Deactivated", invited: "Invited" } as const;

/** The team's members and pending invitations, each with what an admin can do to it (ADMIN-2). */
export function TeamTable({ data, actions }: { data: Team; actions: Actions }) {
  const failed = [
    actions.resend,
    actions.revoke,
    actions.changeRole,
    actions.deactivate,
    actions.reactivate,
    actions.resetSecondFactor,
  ].find((m) => m.isError);
  return (
    <section className="card" aria-labelledby="team-members">
      <h2 id="team-members">Members</h2>
      <ErrorText>{failed ? errorMessage(failed.error) : null}</ErrorText>
      <p role="status" className="hint">
        {actions.resetSecondFactor.isSuccess
          ? "Two-step sign-in reset: they set it up again at their next sign-in."
          : ""}
      </p>
      <div className="table-wrap">
        <table className="table table--dense">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.name}
                  {m.you ? " (you)" : ""}
                  <br />
                  <span className="hint">{m.email}</span>
                </th>
                <td>
                  <select
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    disabled={actions.changeRole.isPending}
                    onChange={(event) =>
                      actions.changeRole.mutate({
                        staffId: m.id,
                        role: event.currentTarget.value as (typeof roles)[number],
                      })
                    }
                  >
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {roleNames[role]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{statusNames[m.status]}</td>
                <td>{shortDateTime(m.lastSignInAt)}</td>
                <td className="table__actions">
                  {m.status === "active" ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => actions.deactivate.mutate({ staffId: m.id })}
                    >
                      Deactivate<span className="visually-hidden"> {m.name}</span>
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button"
                      onClick={() => actions.reactivate.mutate({ staffId: m.id })}
                    >
                      Reactivate<span className="visually-hidden"> {m.name}</span>
                    </button>
                  )}
                  {m.secondFactor ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => actions.resetSecondFactor.mutate({ staffId: m.id })}
                    >
                      Reset two-step sign-in<span className="visually-hidden"> of {m.name}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
            {data.invitations.map((i) => (
              <tr key={i.id}>
                <th scope="row">
                  {i.email}
                  <br />
                  <span className="hint">Invited {shortDateTime(i.invitedAt)}</span>
                </th>
                <td>{roleNames[i.role]}</td>
                <td>{i.expired ? "Invited (link expired)" : statusNames[i.status]}</td>
                <td>Never</td>
                <td className="table__actions">
                  <button
                    type="button"
                    className="button"
                    onClick={() => actions.resend.mutate({ invitationId: i.id })}
                  >
                    Resend<span className="visually-hidden"> the invitation of {i.email}</span>
                  </button>
                  <button
                    type="button"
                    className="button"
                    onClick={() => actions.revoke.mutate({ invitationId: i.id })}
                  >
                    Revoke<span className="visually-hidden"> the invitation of {i.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
