import type { ScheduledMessageQueue, ScheduledMessageStore } from "../../scheduled/ScheduledMessage";
import type { TemplateStore } from "../../templates/Template";
import type { ClinicView } from "./world";

/** Reply templates of the unit of work's clinic (TPL-1). */
export function inMemoryTemplates(view: ClinicView): TemplateStore {
  const { world, clinicId, inClinic } = view;
  return {
    async listFor(staffId) {
      return [...world.templates.values()]
        .filter((t) => t.clinicId === clinicId && (t.scope === "clinic" || t.ownerId === staffId))
        .sort((a, b) => a.name.localeCompare(b.name, "en") || (a.id < b.id ? -1 : 1));
    },
    async get(id) {
      return inClinic(world.templates.get(id));
    },
    async save(template) {
      if (template.clinicId !== clinicId) throw new Error("template outside the unit of work's clinic");
      world.templates.set(template.id, template);
    },
    async remove(id) {
      if (inClinic(world.templates.get(id))) world.templates.delete(id);
    },
  };
}

/** Scheduled messages of the unit of work's clinic (SCHED-1); units of work are serialised, so reserving is reading. */
export function inMemoryScheduledMessages(view: ClinicView): ScheduledMessageStore {
  const { world, clinicId, inClinic } = view;
  return {
    async reserve(id) {
      return inClinic(world.scheduled.get(id));
    },
    async byClientId(authorId, clientId) {
      return (
        [...world.scheduled.values()].find(
          (s) => s.clinicId === clinicId && s.authorId === authorId && s.clientId === clientId,
        ) ?? null
      );
    },
    async save(message) {
      if (message.clinicId !== clinicId)
        throw new Error("scheduled message outside the unit of work's clinic");
      world.scheduled.set(message.id, message);
    },
    async inConversation(conversationId) {
      return [...world.scheduled.values()]
        .filter(
          (s) =>
            s.clinicId === clinicId &&
            s.conversationId === conversationId &&
            (s.status === "pending" || s.status === "refused"),
        )
        .sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || (a.id < b.id ? -1 : 1));
    },
  };
}

/** Scheduled messages handed to the worker queue in the unit of work, committed with it. */
export function inMemoryScheduledQueue(view: ClinicView): ScheduledMessageQueue {
  const { world, clinicId } = view;
  return {
    async schedule(due) {
      if (due.clinicId !== clinicId) throw new Error("scheduled message outside the unit of work's clinic");
      world.scheduledDue.push(due);
    },
  };
}
