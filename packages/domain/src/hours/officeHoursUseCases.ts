import { loadClinic } from "../clinic/loadClinic";
import { loadActing } from "../people/loadPerson";
import type { Actor } from "../people/people";
import { audited } from "../shared/audited";
import { assertAllowed } from "../shared/Decision";
import type { ChatDeps } from "../shared/deps";
import { checkOfficeHours, defaultOfficeHours, normalizedOfficeHours, type OfficeHours } from "./OfficeHours";
import { isOpenAt, nextOpening } from "./schedule";

/** The clinic's office hours (Clinic Settings › Office hours), for its staff. */
export function officeHours(deps: ChatDeps, actor: Actor): Promise<OfficeHours> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "staff" });
    const clinic = await loadClinic(stores, actor.clinicId);
    return clinic.officeHours ?? defaultOfficeHours(clinic.timeZone);
  });
}

/** An admin keeps the clinic's office hours (HOURS-1, HOURS-3, HOURS-4); audited as a settings change. */
export function changeOfficeHours(deps: ChatDeps, actor: Actor, input: OfficeHours): Promise<OfficeHours> {
  return audited(deps, actor, "settings.change", async (stores) => {
    await loadActing(stores, actor, { as: "admin" });
    const clinic = await loadClinic(stores, actor.clinicId);
    assertAllowed(checkOfficeHours(input));
    const hours = normalizedOfficeHours(input);
    await stores.clinics.saveOfficeHours(clinic.id, hours);
    await stores.events.append([
      {
        clinicId: clinic.id,
        conversationId: null,
        type: "clinic.entitlements_changed",
        messageId: null,
        person: actor.person,
        seq: null,
        at: deps.clock.now(),
      },
    ]);
    return hours;
  });
}

/**
 * What a patient's composer shows (HOURS-2, HOURS-4): the clinic's guidelines always, and outside
 * opening hours the after-hours notice with the next opening (an instant: the patient's browser
 * shows it in their own time zone). Anyone of the clinic who may act may ask.
 */
export function afterHoursNotice(
  deps: ChatDeps,
  actor: Actor,
): Promise<{ open: boolean; nextOpeningAt: Date | null; guidelines: string; clinicTimeZone: string }> {
  return deps.uow.run(actor.clinicId, async (stores) => {
    await loadActing(stores, actor, { as: "person" });
    const clinic = await loadClinic(stores, actor.clinicId);
    const hours = clinic.officeHours;
    // A clinic that has kept no office hours has no after-hours notice.
    if (!hours) return { open: true, nextOpeningAt: null, guidelines: "", clinicTimeZone: clinic.timeZone };
    const now = deps.clock.now();
    const open = isOpenAt(hours, now);
    return {
      open,
      nextOpeningAt: open ? null : nextOpening(hours, now),
      guidelines: hours.guidelines,
      clinicTimeZone: hours.timeZone,
    };
  });
}
