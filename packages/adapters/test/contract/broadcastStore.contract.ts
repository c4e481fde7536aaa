import type { Broadcast, BroadcastRecipient } from "@clinic-chat/domain/broadcasts";
import { beforeEach, describe, expect, it } from "vitest";
import { at, newId, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** BroadcastStore: a broadcast, its recipients' report, its audience and its file (BCAST-1). */
export function broadcastStoreContract(factory: UnitOfWorkFactory): void {
  describe("BroadcastStore", () => {
    let world: World;
    let broadcast: Broadcast;
    const recipient = (patientId: string, change: Partial<BroadcastRecipient> = {}): BroadcastRecipient => ({
      broadcastId: broadcast.id,
      patientId,
      status: "waiting",
      reason: null,
      attempts: 0,
      conversationId: null,
      messageId: null,
      ...change,
    });
    beforeEach(async () => {
      world = await seedWorld(factory);
      broadcast = {
        id: newId("broadcast"),
        clinicId: world.clinic.id,
        authorId: world.admin.id,
        clientId: newId("client"),
        content: { kind: "text", text: "Closed on Friday" },
        audience: { kind: "appointments", from: at(0), to: at(60) },
        state: "sending",
        sendAt: at(0),
        createdAt: at(0),
      };
    });

    it("BCAST-1: a broadcast keeps its recipients' statuses, reasons and attempts; cancelling moves only the waiting", async () => {
      await world.run((s) =>
        s.broadcasts.create(broadcast, [
          recipient(world.patient.id),
          recipient(world.otherPatient.id, { status: "skipped", reason: "PATIENT_PORTAL_INACTIVE" }),
        ]),
      );
      expect(await world.run((s) => s.broadcasts.get(broadcast.id))).toEqual(broadcast);
      expect(await world.run((s) => s.broadcasts.byClientId(world.admin.id, broadcast.clientId))).toEqual(
        broadcast,
      );
      expect(await world.run((s) => s.broadcasts.waiting(broadcast.id, 10))).toEqual([
        recipient(world.patient.id),
      ]);
      await world.run((s) =>
        s.broadcasts.record([recipient(world.patient.id, { status: "waiting", attempts: 1 })]),
      );
      expect(await world.run((s) => s.broadcasts.progress(broadcast.id))).toEqual({
        waiting: 1,
        sent: 0,
        skipped: 1,
        failed: 0,
        cancelled: 0,
      });
      await world.run(async (s) => {
        await s.broadcasts.cancelWaiting(broadcast.id);
        await s.broadcasts.setState(broadcast.id, "cancelled");
      });
      const page = await world.run((s) => s.broadcasts.recipients(broadcast.id, { limit: 10 }));
      expect(page.items.map((r) => [r.patientId, r.status, r.reason, r.attempts]).sort()).toEqual(
        [
          [world.patient.id, "cancelled", null, 1],
          [world.otherPatient.id, "skipped", "PATIENT_PORTAL_INACTIVE", 0],
        ].sort(),
      );
      expect(await world.run((s) => s.broadcasts.reserve(broadcast.id))).toMatchObject({
        state: "cancelled",
      });
    });

    it("BCAST-1: an audience names the clinic's patients only, each once (ELIG-5)", async () => {
      const ids = [world.patient.id, world.foreignPatient.id, world.patient.id];
      const named = await world.run((s) => s.broadcasts.audience({ kind: "selection", patientIds: ids }));
      expect(named.map((p) => p.id)).toEqual([world.patient.id]);
      const active = await world.run((s) => s.broadcasts.audience({ kind: "activePortal" }));
      expect(active.every((p) => p.clinicId === world.clinic.id && p.portalAccount === "active")).toBe(true);
    });

    it("ELIG-5: another clinic's broadcasts read as missing", async () => {
      await world.run((s) => s.broadcasts.create(broadcast, [recipient(world.patient.id)]));
      await world.runOther(async (s) => {
        expect(await s.broadcasts.get(broadcast.id)).toBeNull();
        expect(await s.broadcasts.latest(10)).toEqual([]);
        expect(await s.broadcasts.waiting(broadcast.id, 10)).toEqual([]);
      });
    });

    it("DEL-2: a broadcast's file goes with the last reference to its object", async () => {
      const file = {
        id: newId("file"),
        clinicId: world.clinic.id,
        uploaderId: world.admin.id,
        name: "closure.pdf",
        sizeBytes: 10,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state: "pending" as const,
        createdAt: at(0),
      };
      await world.run((s) => s.broadcasts.createFile(file));
      await world.run((s) =>
        s.broadcasts.markFileReady(file.id, { sizeBytes: 12, contentType: "application/pdf" }),
      );
      expect(await world.run((s) => s.broadcasts.file(file.id))).toEqual({
        ...file,
        state: "ready",
        sizeBytes: 12,
      });
      expect(await world.run((s) => s.broadcasts.releaseFile(file.id))).toBe(true);
      expect(await world.run((s) => s.broadcasts.file(file.id))).toBeNull();
    });

    it("FILE-2 BCAST-1: uploads never confirmed before a time are found oldest first, and only a pending one is removed", async () => {
      const file = (minute: number, state: "pending" | "ready") => ({
        id: newId("file"),
        clinicId: world.clinic.id,
        uploaderId: world.admin.id,
        name: "closure.pdf",
        sizeBytes: 10,
        contentType: "application/pdf",
        storageKey: newId("key"),
        state,
        createdAt: at(minute),
      });
      const older = file(1, "pending");
      const old = file(2, "pending");
      const fresh = file(30, "pending");
      const confirmed = file(0, "ready");
      await world.run(async (s) => {
        for (const f of [fresh, old, confirmed, older]) await s.broadcasts.createFile(f);
      });
      expect(await world.run((s) => s.broadcasts.stalePendingFiles(at(10), 10))).toEqual([older, old]);
      expect(await world.run((s) => s.broadcasts.stalePendingFiles(at(10), 1))).toEqual([older]);
      expect(await world.runOther((s) => s.broadcasts.stalePendingFiles(at(10), 10))).toEqual([]);
      expect(await world.run((s) => s.broadcasts.removePendingFile(confirmed.id))).toBe(false);
      expect(await world.run((s) => s.broadcasts.removePendingFile(older.id))).toBe(true);
      expect(await world.run((s) => s.broadcasts.removePendingFile(older.id))).toBe(false);
      expect(await world.run((s) => s.broadcasts.file(confirmed.id))).toEqual(confirmed);
      expect(await world.run((s) => s.broadcasts.stalePendingFiles(at(10), 10))).toEqual([old]);
    });
  });
}
