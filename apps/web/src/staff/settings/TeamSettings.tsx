import { useId } from "react";
import { useForm } from "react-hook-form";
import { useSession } from "../../auth/session";
import { errorMessage } from "../../rpc/errors";
import { ErrorText, Loading } from "../../ui/Feedback";
import { usePageTitle } from "../../ui/usePageTitle";
import { TeamTable } from "./TeamTable";
import { roleNames, roles, useTeam } from "./useTeam";

interface InviteFields {
  email: string;
  role: (typeof roles)[number];
}

/**
 * Clinic Settings › Team (ADMIN-2): who works here, with role, status and last sign-in; admins
 * invite by email with a role, resend or revoke invitations, change roles, deactivate and
 * reactivate members and reset a lost second factor.
 */
export function TeamSettings() {
  usePageTitle("Team");
  const id = useId();
  const me = useSession();
  const actions = useTeam();
  const form = useForm<InviteFields>({ defaultValues: { email: "", role: "practitioner" } });
  const { errors } = form.formState;
  const submit = form.handleSubmit(({ email, role }) =>
    actions.invite.mutate(
      { email: email.trim(), role },
      { onSuccess: () => form.reset({ email: "", role }) },
    ),
  );
  if (me.role !== "admin")
    return (
      <div className="page">
        <h1 tabIndex={-1}>Team</h1>
        <p className="page__lede">Clinic Settings › Team</p>
        <p>Only a clinic admin manages the team.</p>
      </div>
    );
  return (
    <div className="page">
      <h1 tabIndex={-1}>Team</h1>
      <p className="page__lede">Clinic Settings › Team</p>
      <section className="card" aria-labelledby={`${id}-invite`}>
        <h2 id={`${id}-invite`}>Invite a team member</h2>
        <form className="form" noValidate onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-email`}>Email</label>
            <input
              id={`${id}-email`}
              type="email"
              autoComplete="off"
              aria-invalid={errors.email ? true : undefined}
              {...form.register("email", {
                validate: (value) => /^\S+@\S+\.\S+$/.test(value.trim()) || "Enter their email address.",
              })}
            />
            <ErrorText>{errors.email?.message}</ErrorText>
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>Role</label>
            <select id={`${id}-role`} {...form.register("role")}>
              {roles.map((role) => (
                <option key={role} value={role}>
                  {roleNames[role]}
                </option>
              ))}
            </select>
          </div>
          <ErrorText>{actions.invite.isError ? errorMessage(actions.invite.error) : null}</ErrorText>
          <p role="status" className="hint">
            {actions.invite.isSuccess ? "Invitation sent. The link works for 7 days." : ""}
          </p>
          <button type="submit" className="button button--primary" disabled={actions.invite.isPending}>
            {actions.invite.isPending ? "Sending…" : "Send invitation"}
          </button>
        </form>
      </section>
      {actions.team.isPending ? <Loading /> : null}
      {actions.team.isError ? <ErrorText>{errorMessage(actions.team.error)}</ErrorText> : null}
      {actions.team.data ? <TeamTable data={actions.team.data} actions={actions} /> : null}
    </div>
  );
}
