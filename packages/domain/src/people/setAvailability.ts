import { audited } from "../shared/audited";
import { DomainError } from "../shared/DomainError";
import type { ChatDeps } from "../shared/deps";
import { loadActing } from "./loadPerson";
import type { Actor } from "./people";

/**
 * My Account › Scheduling Preferences › "Available for Chat with Patients" (ELIG-2): a
 * practitioner sets their own toggle. Off only hides them from patients starting a chat; they
 * keep every conversation they are in. A change is announced clinic-wide as a change of what the
 * clinic offers (ENT-4), so a portal already open drops or adds them at once rather than offering
 * someone a patient can no longer start a chat with.
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
    const before = staff.availableForPatientChat;
    await stores.directory.setAvailability(staff.id, input.available);
    if (before !== input.available) {
      await stores.events.append([
        {
          clinicId: actor.clinicId,
          conversationId: null,
          type: "clinic.entitlements_changed",
          messageId: null,
          person: actor.person,
          seq: null,
          at: deps.clock.now(),
        },
      ]);
    }
    return { available: input.available };
  });
}
