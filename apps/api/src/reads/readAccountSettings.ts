import { type Actor, loadActingStaff, type StaffRole, type UnitOfWork } from "@clinic-chat/domain";

/** My Account: the signed-in staff member's own preferences. */
export interface AccountSettingsView {
  readonly role: StaffRole;
  /** Scheduling Preferences › "Available for Chat with Patients" (ELIG-2). */
  readonly availableForPatientChat: boolean;
  /** Chat emails about patient messages (NOTIF-3). */
  readonly emailNotifications: boolean;
}

/**
 * Reads the acting staff member's own preferences. Composed here because the domain has no read
 * use case for it; it reads only the actor's own record, so it writes no audit record.
 */
export function readAccountSettings(
  deps: { readonly uow: UnitOfWork },
  actor: Actor,
): Promise<AccountSettingsView> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const me = await loadActingStaff(stores, actor);
    return {
      role: me.role,
      availableForPatientChat: me.availableForPatientChat,
      emailNotifications: me.emailNotifications,
    };
  });
}
