import type { FileScanQueue, FileStore, RemovedFile } from "../../files/ports";
import type { FilePreviewQueue } from "../../files/previews";
import type { ClinicView } from "./world";

/** Uploads of the unit of work's clinic. */
export function inMemoryFiles(view: ClinicView): FileStore {
  const { world, clinicId, inClinic } = view;
  return {
    async get(id) {
      return inClinic(world.files.get(id));
    },
    async create(file) {
      if (file.clinicId !== clinicId) throw new Error("file outside the unit of work's clinic");
      world.files.set(file.id, file);
    },
    async markReady(id, checked) {
      const file = inClinic(world.files.get(id));
      if (file) world.files.set(id, { ...file, ...checked, state: "ready" });
    },
    async markChecking(id, checked) {
      const file = inClinic(world.files.get(id));
      if (file) world.files.set(id, { ...file, ...checked, state: "checking" });
    },
    async recordRefusal(refusal) {
      const key = `${clinicId}|${refusal.fileId}`;
      // The first reason stands, as the table's key keeps it.
      if (!world.fileRefusals.has(key)) world.fileRefusals.set(key, refusal);
    },
    async refusalOf(fileId, uploader) {
      const refusal = world.fileRefusals.get(`${clinicId}|${fileId}`);
      return refusal && refusal.uploader.kind === uploader.kind && refusal.uploader.id === uploader.id
        ? refusal
        : null;
    },
    async forgetRefusals(before) {
      for (const [key, refusal] of world.fileRefusals) {
        if (key.startsWith(`${clinicId}|`) && refusal.refusedAt < before) world.fileRefusals.delete(key);
      }
    },
    async notePreview(id, preview) {
      const file = inClinic(world.files.get(id));
      if (file) world.files.set(id, { ...file, preview });
    },
    async checkingOf(conversationId, uploader) {
      return [...world.files.values()]
        .filter(
          (f) =>
            f.clinicId === clinicId &&
            f.conversationId === conversationId &&
            f.state === "checking" &&
            f.uploader.kind === uploader.kind &&
            f.uploader.id === uploader.id,
        )
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
    async remove(id) {
      const file = inClinic(world.files.get(id));
      if (!file) return true;
      world.files.delete(id);
      const shared = (key: string) => key === file.storageKey;
      return (
        ![...world.files.values()].some((f) => shared(f.storageKey)) &&
        ![...world.broadcasts.files.values()].some((f) => shared(f.storageKey))
      );
    },
    async removeAll(ids) {
      const removed: RemovedFile[] = [];
      for (const id of ids) {
        const file = inClinic(world.files.get(id));
        if (!file) continue;
        world.files.delete(id);
        removed.push({
          fileId: id,
          storageKey: file.storageKey,
          contentType: file.contentType,
          lastReference: false,
        });
      }
      const shared = (key: string) =>
        [...world.files.values()].some((f) => f.storageKey === key) ||
        [...world.broadcasts.files.values()].some((f) => f.storageKey === key);
      return removed.map((file) => ({ ...file, lastReference: !shared(file.storageKey) }));
    },
    async stalePending(before, limit) {
      return [...world.files.values()]
        .filter((f) => f.clinicId === clinicId && f.state === "pending" && f.createdAt < before)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit);
    },
  };
}

/** Scans scheduled by the unit of work's clinic; a scan already waiting is not added twice. */
export function inMemoryFileScans(view: ClinicView): FileScanQueue {
  const { world, clinicId } = view;
  return {
    async schedule(scan) {
      if (scan.clinicId !== clinicId) throw new Error("scan outside the unit of work's clinic");
      if (!world.fileScans.some((s) => s.clinicId === scan.clinicId && s.fileId === scan.fileId))
        world.fileScans.push({ ...scan });
    },
  };
}

/** Preview jobs scheduled by the unit of work's clinic; a job already waiting is not added twice. */
export function inMemoryFilePreviews(view: ClinicView): FilePreviewQueue {
  const { world, clinicId } = view;
  return {
    async schedule(job) {
      if (job.clinicId !== clinicId) throw new Error("preview job outside the unit of work's clinic");
      if (!world.filePreviews.some((j) => j.clinicId === job.clinicId && j.fileId === job.fileId))
        world.filePreviews.push({ ...job });
    },
  };
}
