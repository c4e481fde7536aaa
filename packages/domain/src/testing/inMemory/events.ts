import type { NewConversationEvent } from "../../chat/ConversationEvent";
import type { EventLog } from "../../chat/ports";
import type { ClinicView } from "./world";

/** The clinic's event log, numbered across clinics like the database's identity. */
export function inMemoryEvents(view: ClinicView): EventLog {
  const { world, clinicId } = view;
  return {
    async append(newEvents: readonly NewConversationEvent[]) {
      for (const event of newEvents) {
        if (event.clinicId !== clinicId) throw new Error("event outside the unit of work's clinic");
        world.events.push({ ...event, id: world.nextEventId++ });
      }
    },
    async after(afterId, limit) {
      return world.events.filter((e) => e.clinicId === clinicId && e.id > afterId).slice(0, limit);
    },
  };
}
