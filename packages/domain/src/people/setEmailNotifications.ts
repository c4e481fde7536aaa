import { audited } from "../shared/audited";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor } from "./people";

/**
 * A staff member turns their chat emails about patient messages on or off (NOTIF-3). Patients'
 * chat emails cannot be turned off, so this is staff only.
 */
export function setEmailNotifications(
  deps: ChatDeps,
  actor: Actor,
  input: { enabled: boolean },
): Promise<{ enabled: boolean }> {
  return audited(deps, actor, "notifications.change", async (stores, targets) => {
    const staff = await loadActing(stores, actor, { as: "staff" });
    targets.subject = actor.person;
    await stores.directory.saveStaff({ ...staff, emailNotifications: input.enabled });
    return { enabled: input.enabled };
  });
}
