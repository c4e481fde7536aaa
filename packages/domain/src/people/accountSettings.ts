import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor, StaffRole } from "./people";

/** My Account: the signed-in staff member's own preferences. */
export interface AccountSettings {
  readonly role: StaffRole;
  /** Scheduling Preferences › "Available for Chat with Patients" (ELIG-2). */
  readonly availableForPatientChat: boolean;
  /** Chat emails about patient messages (NOTIF-3). */
  readonly emailNotifications: boolean;
}

/**
 * The acting staff member's own preferences (ELIG-6: only while they may act). It reads only the
 * actor's own record, so it writes no audit record.
 */
export function accountSettings(deps: Pick<ChatDeps, "uow">, actor: Actor): Promise<AccountSettings> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    const me = await loadActing(stores, actor, { as: "staff" });
    return {
      role: me.role,
      availableForPatientChat: me.availableForPatientChat,
      emailNotifications: me.emailNotifications,
    };
  });
}
