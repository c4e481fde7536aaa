import type { AuditEvent, StoredAuditEvent } from "../../audit/AuditEvent";
import type { AuditLog, AuditQuery } from "../../audit/AuditLog";
import { personKey } from "../../people/people";
import type { ClinicView } from "./world";

/** Is the record about the patient: acting, acted on, or of one of their conversations (REC-6)? */
function isAbout(view: ClinicView, event: StoredAuditEvent, patientId: string): boolean {
  const refs = [event.actor, event.subject];
  if (refs.some((r) => r?.kind === "patient" && r.id === patientId)) return true;
  const conversation = event.conversationId
    ? view.inClinic(view.world.conversations.get(event.conversationId))
    : null;
  return conversation?.patientId === patientId;
}

/** The clinic's append-only audit trail (SEC-3). */
export function inMemoryAudit(view: ClinicView): AuditLog {
  const { world, clinicId } = view;
  return {
    async append(event: AuditEvent) {
      if (event.clinicId !== clinicId) throw new Error("audit event outside the unit of work's clinic");
      world.audit.push({ ...event, id: String(world.nextAuditId++) });
    },
    async appendAll(events: readonly AuditEvent[]) {
      for (const event of events) await this.append(event);
    },
    async list(query: AuditQuery) {
      const matching = world.audit
        .filter(
          (e) =>
            e.clinicId === clinicId &&
            (!query.action || e.action === query.action) &&
            (!query.conversationId || e.conversationId === query.conversationId) &&
            (!query.actorKey || (e.actor !== null && personKey(e.actor) === query.actorKey)) &&
            (!query.patientId || isAbout(view, e, query.patientId)) &&
            (!query.from || e.at >= query.from) &&
            (!query.to || e.at < query.to),
        )
        .sort((a, b) => Number(b.id) - Number(a.id));
      const start = query.cursor ? matching.findIndex((e) => Number(e.id) < Number(query.cursor)) : 0;
      const from = start < 0 ? matching.length : start;
      const items = matching.slice(from, from + query.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: last && from + query.limit < matching.length ? last.id : null };
    },
    async recordsNamed(ids) {
      const conversations = ids.conversationIds.flatMap((id) => {
        const conversation = view.inClinic(world.conversations.get(id));
        if (!conversation) return [];
        const participants = (world.participants.get(id) ?? []).map((p) => p.person);
        return [{ conversation, participants }];
      });
      const files = ids.fileIds.flatMap((id) => {
        const file = view.inClinic(world.files.get(id));
        return file ? [{ id: file.id, conversationId: file.conversationId, name: file.name }] : [];
      });
      return { conversations, files };
    },
    async peopleNamed(ids) {
      return {
        staff: ids.staffIds.flatMap((id) => view.inClinic(world.staff.get(id)) ?? []),
        patients: ids.patientIds.flatMap((id) => view.inClinic(world.patients.get(id)) ?? []),
      };
    },
  };
}
