import type { AuditEvent } from "../../audit/AuditEvent";
import type { AuditLog, AuditQuery } from "../../audit/AuditLog";
import { personKey } from "../../people/people";
import type { ClinicView } from "./world";

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
  };
}
