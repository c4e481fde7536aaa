import type { Message } from "../../chat/Message";
import type { LegalHold } from "../../records/LegalHold";
import type { RecordsStore } from "../../records/ports";
import type { RetentionPolicy, RetentionRun } from "../../records/Retention";
import type { ClinicView } from "./world";

/** The records tables: holds by "clinic|patient", retention settings and runs by clinic. */
export interface RecordsTables {
  holds: Map<string, LegalHold>;
  retention: Map<string, RetentionPolicy>;
  runs: Map<string, RetentionRun>;
}

export function emptyRecordsTables(): RecordsTables {
  return { holds: new Map(), retention: new Map(), runs: new Map() };
}

/** Legal holds and retention of the unit of work's clinic (REC-3, REC-4). */
export function inMemoryRecords(view: ClinicView): RecordsStore {
  const { world, clinicId } = view;
  const tables = world.records;
  const key = (patientId: string) => `${clinicId}|${patientId}`;
  return {
    async hold(patientId) {
      return tables.holds.get(key(patientId)) ?? null;
    },
    async holds() {
      return [...tables.holds.values()]
        .filter((h) => h.clinicId === clinicId)
        .sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime());
    },
    async placeHold(hold) {
      if (hold.clinicId !== clinicId) throw new Error("hold outside the unit of work's clinic");
      if (tables.holds.has(key(hold.patientId))) throw new Error("duplicate key: the patient is held");
      tables.holds.set(key(hold.patientId), hold);
    },
    async liftHold(patientId) {
      tables.holds.delete(key(patientId));
    },
    async retention() {
      return tables.retention.get(clinicId) ?? null;
    },
    async saveRetention(policy) {
      if (policy) tables.retention.set(clinicId, policy);
      else tables.retention.delete(clinicId);
    },
    async retentionRun() {
      return tables.runs.get(clinicId) ?? null;
    },
    async saveRetentionRun(run) {
      if (run) tables.runs.set(clinicId, run);
      else tables.runs.delete(clinicId);
    },
    async patientConversations(patientId) {
      return [...world.conversations.values()].filter(
        (c) => c.clinicId === clinicId && c.patientId === patientId,
      );
    },
    async expiredMessages(cutoff, limit) {
      const held = (conversationId: string) => {
        const patientId = world.conversations.get(conversationId)?.patientId;
        return patientId ? tables.holds.has(key(patientId)) : false;
      };
      return [...world.messages.values()]
        .filter(
          (m: Message) =>
            m.clinicId === clinicId &&
            m.body.kind !== "deleted" &&
            m.sentAt.getTime() < cutoff.getTime() &&
            !held(m.conversationId),
        )
        .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || (a.id < b.id ? -1 : 1))
        .slice(0, limit);
    },
  };
}
