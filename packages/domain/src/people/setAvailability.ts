import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor } from "./people";

/**
 * My Account › Scheduling Preferences › "Available for Chat with Patients" (ELIG-2): a
 * practitioner sets their own toggle. Off only hides them from patients starting a chat; they
 * keep every conversation they are in.
 */
export function setAvailability(
  deps: ChatDeps,
  actor: Actor,
  input: { available: boolean },
): Promise<{ available: boolean }> {
  return audited(deps, actor, "availability.change", async (stores, targets) => {
    const staff = await loadActing(stores, actor, { as: "staff" });
    targets.subject = actor.person;
    if (staff.role !== "practitioner") throw new DomainError("FORBIDDEN");
    await stores.directory.setAvailability(staff.id, input.available);
    return { available: input.available };
  });
}
