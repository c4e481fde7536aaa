import type { Broadcast, BroadcastFile, BroadcastRecipient } from "../../broadcasts/Broadcast";
import { noProgress } from "../../broadcasts/broadcastViews";
import type { BroadcastStore, BroadcastTurn, BroadcastTurnQueue } from "../../broadcasts/ports";
import type { Patient } from "../../people/people";
import type { ClinicView } from "./world";

/** Broadcasts, their recipients and their files, as the tables of the world. */
export interface BroadcastTables {
  broadcasts: Map<string, Broadcast>;
  /** Recipients by "broadcastId|patientId", in the order they were added. */
  recipients: Map<string, BroadcastRecipient>;
  files: Map<string, BroadcastFile>;
  /** Turns waiting for their time. One per broadcast, as the queue's key keeps it. */
  turns: { turn: BroadcastTurn; at: Date }[];
}

export function emptyBroadcastTables(): BroadcastTables {
  return { broadcasts: new Map(), recipients: new Map(), files: new Map(), turns: [] };
}

/** The broadcasts of the unit of work's clinic (BCAST-1). */
export function inMemoryBroadcasts(view: ClinicView): BroadcastStore {
  const { world, clinicId, inClinic } = view;
  const tables = world.broadcasts;
  const recipientsOf = (id: string) => [...tables.recipients.values()].filter((r) => r.broadcastId === id);
  const patientsOfClinic = () => [...world.patients.values()].filter((p) => p.clinicId === clinicId);
  return {
    async create(broadcast, recipients) {
      if (broadcast.clinicId !== clinicId) throw new Error("broadcast outside the unit of work's clinic");
      tables.broadcasts.set(broadcast.id, broadcast);
      for (const r of recipients) tables.recipients.set(`${r.broadcastId}|${r.patientId}`, r);
    },
    async get(id) {
      return inClinic(tables.broadcasts.get(id));
    },
    async byClientId(authorId, clientId) {
      return (
        [...tables.broadcasts.values()].find(
          (b) => b.clinicId === clinicId && b.authorId === authorId && b.clientId === clientId,
        ) ?? null
      );
    },
    async reserve(id) {
      return inClinic(tables.broadcasts.get(id));
    },
    async setState(id, state) {
      const b = inClinic(tables.broadcasts.get(id));
      if (b) tables.broadcasts.set(id, { ...b, state });
    },
    async latest(limit) {
      return [...tables.broadcasts.values()]
        .filter((b) => b.clinicId === clinicId)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
        .slice(0, limit);
    },
    async progress(id) {
      const counts = { ...noProgress };
      if (inClinic(tables.broadcasts.get(id))) for (const r of recipientsOf(id)) counts[r.status]++;
      return counts;
    },
    async waiting(id, limit) {
      if (!inClinic(tables.broadcasts.get(id))) return [];
      return recipientsOf(id)
        .filter((r) => r.status === "waiting")
        .sort((a, b) => (a.patientId < b.patientId ? -1 : 1))
        .slice(0, limit);
    },
    async record(recipients) {
      for (const r of recipients) {
        const key = `${r.broadcastId}|${r.patientId}`;
        if (tables.recipients.has(key) && inClinic(tables.broadcasts.get(r.broadcastId)))
          tables.recipients.set(key, r);
      }
    },
    async cancelWaiting(id) {
      for (const r of recipientsOf(id))
        if (r.status === "waiting")
          tables.recipients.set(`${id}|${r.patientId}`, { ...r, status: "cancelled" });
    },
    async recipients(id, page) {
      if (!inClinic(tables.broadcasts.get(id))) return { items: [], nextCursor: null };
      const all = recipientsOf(id)
        .filter((r) => !page.status || r.status === page.status)
        .sort((a, b) => (a.patientId < b.patientId ? -1 : 1));
      const from = page.cursor ? all.findIndex((r) => r.patientId > page.cursor!) : 0;
      const start = from < 0 ? all.length : from;
      const items = all.slice(start, start + page.limit);
      const more = start + page.limit < all.length;
      return { items, nextCursor: more ? (items[items.length - 1]?.patientId ?? null) : null };
    },
    async audience(audience) {
      const byId = (ids: Iterable<string>) => {
        const out: Patient[] = [];
        for (const id of new Set(ids)) {
          const p = inClinic(world.patients.get(id));
          if (p) out.push(p);
        }
        return out;
      };
      const appointments = [...world.appointments.values()].filter((a) => a.clinicId === clinicId);
      switch (audience.kind) {
        case "selection":
          return byId(audience.patientIds);
        case "practitioner":
          return byId(
            appointments.filter((a) => a.practitionerId === audience.practitionerId).map((a) => a.patientId),
          );
        case "appointments":
          return byId(
            appointments
              .filter(
                (a) => a.status !== "cancelled" && a.startsAt >= audience.from && a.startsAt < audience.to,
              )
              .map((a) => a.patientId),
          );
        case "activePortal":
          return patientsOfClinic().filter((p) => p.portalAccount === "active");
      }
    },
    async file(id) {
      return inClinic(tables.files.get(id));
    },
    async createFile(file) {
      if (file.clinicId !== clinicId) throw new Error("file outside the unit of work's clinic");
      tables.files.set(file.id, file);
    },
    async markFileReady(id, checked) {
      const f = inClinic(tables.files.get(id));
      if (f) tables.files.set(id, { ...f, ...checked, state: "ready" });
    },
    async stalePendingFiles(before, limit) {
      return [...tables.files.values()]
        .filter((f) => f.clinicId === clinicId && f.state === "pending" && f.createdAt < before)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit);
    },
    async removePendingFile(id) {
      const f = inClinic(tables.files.get(id));
      if (f?.state !== "pending") return false;
      tables.files.delete(id);
      return true;
    },
    async releaseFile(id) {
      const f = inClinic(tables.files.get(id));
      if (!f) return false;
      tables.files.delete(id);
      return ![...world.files.values()].some((c) => c.storageKey === f.storageKey);
    },
  };
}

/** Turns of the unit of work's clinic; a broadcast has at most one turn waiting. */
export function inMemoryBroadcastTurns(view: ClinicView): BroadcastTurnQueue {
  const { world, clinicId } = view;
  return {
    async schedule(turn, at) {
      if (turn.clinicId !== clinicId) throw new Error("turn outside the unit of work's clinic");
      const tables = world.broadcasts;
      if (!tables.turns.some((t) => t.turn.broadcastId === turn.broadcastId))
        tables.turns.push({ turn: { ...turn }, at });
    },
  };
}
