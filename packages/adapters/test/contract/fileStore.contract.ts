import type { Conversation } from "@clinic-chat/domain";
import type { StoredFile } from "@clinic-chat/domain/files";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  ref,
  seedWorld,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** FileStore: upload state (FILE-2), scanning (FILE-6), previews (FILE-7) and removal (DEL-2). */
export function fileStoreContract(factory: UnitOfWorkFactory): void {
  describe("FileStore", () => {
    let world: World;
    let conversation: Conversation;
    const pendingFile = (createdAt: Date): StoredFile => ({
      id: newId("file"),
      clinicId: world.clinic.id,
      conversationId: conversation.id,
      uploader: ref(world.practitioner),
      clientId: newId("client"),
      name: "Lab results.pdf",
      sizeBytes: 1234,
      contentType: "application/pdf",
      storageKey: newId("key"),
      state: "pending",
      createdAt,
    });
    beforeEach(async () => {
      world = await seedWorld(factory);
      conversation = patientConversation(world);
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
    });

    it("FILE-2: a file is pending until confirmed, then ready with the checked size and type", async () => {
      const file = pendingFile(at(0));
      await world.run((s) => s.files.create(file));
      expect(await world.run((s) => s.files.get(file.id))).toEqual(file);
      await world.run((s) => s.files.markReady(file.id, { sizeBytes: 999, contentType: "image/png" }));
      expect(await world.run((s) => s.files.get(file.id))).toEqual({
        ...file,
        state: "ready",
        sizeBytes: 999,
        contentType: "image/png",
      });
    });

    it("FILE-6: a checked file waits in checking, then turns ready; it is never a stale pending upload", async () => {
      const file = pendingFile(at(0));
      await world.run((s) => s.files.create(file));
      await world.run((s) => s.files.markChecking(file.id, { sizeBytes: 77, contentType: "image/jpeg" }));
      expect(await world.run((s) => s.files.get(file.id))).toEqual({
        ...file,
        state: "checking",
        sizeBytes: 77,
        contentType: "image/jpeg",
      });
      expect(await world.run((s) => s.files.stalePending(at(60), 10))).toEqual([]);
      await world.run((s) => s.files.markReady(file.id, { sizeBytes: 77, contentType: "image/jpeg" }));
      expect(await world.run((s) => s.files.get(file.id))).toMatchObject({ state: "ready" });
    });

    it("FILE-6: a refusal keeps ids and the reason for its uploader only, once, in its clinic", async () => {
      const refusal = {
        fileId: newId("file"),
        conversationId: conversation.id,
        uploader: ref(world.practitioner),
        reason: "FILE_INFECTED" as const,
        refusedAt: at(5),
      };
      await world.run((s) => s.files.recordRefusal(refusal));
      await world.run((s) => s.files.recordRefusal({ ...refusal, reason: "FILE_DAMAGED" }));
      expect(await world.run((s) => s.files.refusalOf(refusal.fileId, ref(world.practitioner)))).toEqual(
        refusal,
      );
      expect(await world.run((s) => s.files.refusalOf(refusal.fileId, ref(world.patient)))).toBeNull();
      expect(
        await world.runOther((s) => s.files.refusalOf(refusal.fileId, ref(world.practitioner))),
      ).toBeNull();
    });

    it("FILE-7: a file notes its renditions' size, or that it could not be read; another clinic changes nothing", async () => {
      const photo = { ...pendingFile(at(0)), contentType: "image/jpeg" };
      const damaged = { ...pendingFile(at(0)), contentType: "image/png" };
      await world.run(async (s) => {
        for (const file of [photo, damaged]) {
          await s.files.create(file);
          await s.files.markReady(file.id, { sizeBytes: 1234, contentType: file.contentType });
        }
      });
      expect(await world.run((s) => s.files.get(photo.id))).not.toHaveProperty("preview", expect.anything());
      await world.runOther((s) => s.files.notePreview(photo.id, { state: "ready", width: 9, height: 9 }));
      expect(await world.run((s) => s.files.get(photo.id))).not.toHaveProperty("preview", expect.anything());

      await world.run(async (s) => {
        await s.files.notePreview(photo.id, { state: "ready", width: 2048, height: 1536 });
        await s.files.notePreview(damaged.id, { state: "failed" });
      });
      expect(await world.run((s) => s.files.get(photo.id))).toEqual({
        ...photo,
        state: "ready",
        preview: { state: "ready", width: 2048, height: 1536 },
      });
      expect(await world.run((s) => s.files.get(damaged.id))).toEqual({
        ...damaged,
        state: "ready",
        preview: { state: "failed" },
      });
      await world.runOther((s) => s.files.notePreview(damaged.id, { state: "ready", width: 1, height: 1 }));
      expect(await world.run((s) => s.files.get(damaged.id))).toMatchObject({ preview: { state: "failed" } });
    });

    it("FILE-6, FILE-8: the uploader's files waiting for their scan in one conversation, oldest first, theirs only", async () => {
      const elsewhere = patientConversation(world, world.otherPatient);
      await world.run((s) =>
        s.conversations.create(elsewhere, [ref(world.otherPatient), ref(world.practitioner)]),
      );
      const second = pendingFile(at(2));
      const first = pendingFile(at(1));
      const scanned = pendingFile(at(0));
      const stillPending = pendingFile(at(0));
      const patients = { ...pendingFile(at(0)), uploader: ref(world.patient) };
      const inOtherConversation = { ...pendingFile(at(0)), conversationId: elsewhere.id };
      const checked = { sizeBytes: 10, contentType: "application/pdf" };
      await world.run(async (s) => {
        for (const file of [second, first, scanned, stillPending, patients, inOtherConversation])
          await s.files.create(file);
        for (const file of [second, first, scanned, patients, inOtherConversation])
          await s.files.markChecking(file.id, checked);
        await s.files.markReady(scanned.id, checked);
      });
      const waiting = await world.run((s) => s.files.checkingOf(conversation.id, ref(world.practitioner)));
      expect(waiting).toEqual([
        { ...first, ...checked, state: "checking" },
        { ...second, ...checked, state: "checking" },
      ]);
      expect(
        (await world.run((s) => s.files.checkingOf(conversation.id, ref(world.patient)))).map((f) => f.id),
      ).toEqual([patients.id]);
      expect(
        await world.runOther((s) => s.files.checkingOf(conversation.id, ref(world.practitioner))),
      ).toEqual([]);
    });

    it("FILE-2: stale pending uploads are listed oldest first, ready ones never", async () => {
      const old1 = pendingFile(at(1));
      const old2 = pendingFile(at(2));
      const fresh = pendingFile(at(30));
      const ready = pendingFile(at(0));
      await world.run(async (s) => {
        for (const f of [old2, fresh, old1, ready]) await s.files.create(f);
        await s.files.markReady(ready.id, { sizeBytes: 1, contentType: "text/plain" });
      });
      await world.run(async (s) => {
        expect((await s.files.stalePending(at(10), 10)).map((f) => f.id)).toEqual([old1.id, old2.id]);
        expect((await s.files.stalePending(at(10), 1)).map((f) => f.id)).toEqual([old1.id]);
      });
      expect(await world.runOther((s) => s.files.stalePending(at(100), 10))).toEqual([]);
    });

    it("DEL-2: removing a file deletes its record, name and all", async () => {
      const file = pendingFile(at(0));
      await world.run((s) => s.files.create(file));
      await world.run((s) => s.files.remove(file.id));
      expect(await world.run((s) => s.files.get(file.id))).toBeNull();
    });

    it("DEL-2: records sharing one stored object (a broadcast's copies): only the last removal frees it", async () => {
      const first = pendingFile(at(0));
      const second = { ...pendingFile(at(0)), storageKey: first.storageKey };
      await world.run(async (s) => {
        await s.files.create(first);
        await s.files.create(second);
      });
      expect(await world.run((s) => s.files.remove(first.id))).toBe(false);
      expect(await world.run((s) => s.files.get(second.id))).toEqual(second);
      expect(await world.run((s) => s.files.remove(second.id))).toBe(true);
    });

    it("DEL-2: removing many records at once answers each one that was there, with whether its object is free", async () => {
      const first = pendingFile(at(0));
      const second = { ...pendingFile(at(0)), storageKey: first.storageKey };
      const third = pendingFile(at(0));
      await world.run(async (s) => {
        for (const file of [first, second, third]) await s.files.create(file);
      });
      // Another clinic removes nothing (SEC-4).
      expect(await world.runOther((s) => s.files.removeAll([first.id, third.id]))).toEqual([]);
      const removed = await world.run((s) => s.files.removeAll([first.id, third.id, newId("file")]));
      expect(removed.sort((x, y) => (x.fileId < y.fileId ? -1 : 1))).toEqual(
        [
          {
            fileId: first.id,
            storageKey: first.storageKey,
            contentType: first.contentType,
            lastReference: false,
          },
          {
            fileId: third.id,
            storageKey: third.storageKey,
            contentType: third.contentType,
            lastReference: true,
          },
        ].sort((x, y) => (x.fileId < y.fileId ? -1 : 1)),
      );
      expect(await world.run((s) => s.files.get(first.id))).toBeNull();
      expect(await world.run((s) => s.files.get(third.id))).toBeNull();
      expect(await world.run((s) => s.files.get(second.id))).toEqual(second);
      expect(await world.run((s) => s.files.removeAll([second.id]))).toEqual([
        {
          fileId: second.id,
          storageKey: first.storageKey,
          contentType: second.contentType,
          lastReference: true,
        },
      ]);
    });

    it("ELIG-5: files of another clinic read as missing and cannot be changed or removed", async () => {
      const file = pendingFile(at(0));
      await world.run((s) => s.files.create(file));
      await world.runOther(async (s) => {
        expect(await s.files.get(file.id)).toBeNull();
        await s.files.markReady(file.id, { sizeBytes: 1, contentType: "text/plain" });
        await s.files.remove(file.id);
      });
      expect(await world.run((s) => s.files.get(file.id))).toEqual(file);
    });
  });
}
