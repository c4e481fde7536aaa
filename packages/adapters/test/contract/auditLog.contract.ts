import type { AuditEvent, AuditQuery } from "@clinic-chat/domain";
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

/** AuditLog: the append-only trail of SEC-3, newest first, filterable and paged. */
export function auditLogContract(factory: UnitOfWorkFactory): void {
  describe("AuditLog", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });
    const entry = (overrides: Partial<AuditEvent>): AuditEvent => ({
      clinicId: world.clinic.id,
      actor: ref(world.practitioner),
      action: "conversation.read_history",
      conversationId: null,
      messageId: null,
      fileId: null,
      subject: null,
      reason: null,
      at: at(0),
      ip: "203.0.113.7",
      outcome: "success",
      ...overrides,
    });

    it("SEC-3: records every fact of an access and lists newest first", async () => {
      const conversationId = newId("conv");
      const full = entry({
        action: "file.download",
        conversationId,
        messageId: newId("msg"),
        fileId: newId("file"),
        subject: ref(world.patient),
        at: at(1),
      });
      const denied = entry({
        action: "message.delete",
        actor: null,
        reason: "FORBIDDEN",
        outcome: "denied",
        ip: null,
        at: at(2),
      });
      await world.run(async (s) => {
        await s.audit.append(full);
        await s.audit.append(denied);
      });
      const { items, nextCursor } = await world.run((s) => s.audit.list({ limit: 10 }));
      expect(nextCursor).toBeNull();
      expect(items.map(({ id: _id, ...rest }) => rest)).toEqual([denied, full]);
      expect(typeof items[0]?.id).toBe("string");
    });

    it("SEC-3: filters by action, conversation, actor and time, and pages with the cursor", async () => {
      const conversationId = newId("conv");
      await world.run(async (s) => {
        for (let i = 0; i < 5; i++)
          await s.audit.append(entry({ at: at(i), conversationId, action: "message.send" }));
        await s.audit.append(entry({ at: at(5), actor: ref(world.patient), action: "conversation.list" }));
      });
      const list = (query: Partial<AuditQuery>) => world.run((s) => s.audit.list({ limit: 10, ...query }));
      expect((await list({ action: "conversation.list" })).items).toHaveLength(1);
      expect((await list({ conversationId })).items).toHaveLength(5);
      expect((await list({ actorKey: `patient:${world.patient.id}` })).items.map((e) => e.action)).toEqual([
        "conversation.list",
      ]);
      expect((await list({ actorKey: "not-a-key" })).items).toEqual([]);
      expect((await list({ from: at(1), to: at(3) })).items.map((e) => e.at)).toEqual([at(2), at(1)]);

      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page++) {
        const result: Awaited<ReturnType<typeof list>> = await world.run((s) =>
          s.audit.list({ limit: 4, cursor, conversationId }),
        );
        seen.push(...result.items.map((e) => e.at.toISOString()));
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual([4, 3, 2, 1, 0].map((i) => at(i).toISOString()));
    });

    it("ELIG-5: a clinic never sees another clinic's audit trail, nor writes into it", async () => {
      await world.run((s) => s.audit.append(entry({})));
      expect((await world.runOther((s) => s.audit.list({ limit: 10 }))).items).toEqual([]);
      await expect(world.runOther((s) => s.audit.append(entry({})))).rejects.toThrow();
    });

    it("SEC-3: appendAll records several accesses at once, in order, exactly as append one by one would", async () => {
      const conversationId = newId("conv");
      // At minute `m`: every sort of record, optional fields left out, null and set.
      const records = (m: number): AuditEvent[] => [
        {
          clinicId: world.clinic.id,
          actor: ref(world.patient),
          action: "message.send",
          at: at(m),
          ip: "198.51.100.4",
          outcome: "success",
        },
        entry({ action: "message.send", conversationId, messageId: newId("msg"), at: at(m + 1), ip: null }),
        entry({
          action: "file.download",
          conversationId,
          messageId: newId("msg"),
          fileId: newId("file"),
          subject: ref(world.otherPatient),
          at: at(m),
        }),
        entry({
          action: "message.send",
          actor: null,
          conversationId,
          reason: "FORBIDDEN",
          outcome: "denied",
          ip: null,
          at: at(m + 2),
        }),
        entry({ action: "conversation.list", reason: "RATE_LIMITED", outcome: "denied", at: at(m + 1) }),
      ];
      const batch = records(10);
      const oneByOne = records(20);
      await world.run((s) => s.audit.appendAll(batch));
      await world.run(async (s) => {
        for (const record of oneByOne) await s.audit.append(record);
      });
      const listed = async (from: number) =>
        (await world.run((s) => s.audit.list({ limit: 20, from: at(from), to: at(from + 10) }))).items;
      const batchListed = await listed(10);
      const oneByOneListed = await listed(20);
      // Newest first: the last given is the newest, whatever its time. (A field left out may
      // read back as null, as append stores it on a database, or left out, as in memory.)
      const stored = (record: AuditEvent) => ({
        conversationId: null,
        messageId: null,
        fileId: null,
        subject: null,
        reason: null,
        ...record,
      });
      expect(batchListed.map(({ id: _id, ...rest }) => stored(rest))).toEqual(batch.map(stored).reverse());
      expect(new Set(batchListed.map((e) => e.id)).size).toBe(batch.length);
      const withoutIds = (items: typeof batchListed, m: number) =>
        items.map(({ id: _id, at: when, messageId, fileId, ...rest }) => ({
          ...rest,
          minute: (when.getTime() - at(m).getTime()) / 60_000,
          messageId: messageId === null,
          fileId: fileId === null,
        }));
      expect(withoutIds(batchListed, 10)).toEqual(withoutIds(oneByOneListed, 20));
      expect(
        (await world.run((s) => s.audit.list({ limit: 20, conversationId }))).items.map((e) => e.outcome),
      ).toEqual(["denied", "success", "success", "denied", "success", "success"]);
    });

    it("SEC-3: appendAll of nothing writes nothing", async () => {
      await world.run((s) => s.audit.append(entry({})));
      const before = (await world.run((s) => s.audit.list({ limit: 10 }))).items;
      await world.run((s) => s.audit.appendAll([]));
      expect((await world.run((s) => s.audit.list({ limit: 10 }))).items).toEqual(before);
      expect(before).toHaveLength(1);
    });
    it("REC-6: filters by patient: the patient acting, acted on, or any record of their conversations", async () => {
      const theirs = patientConversation(world);
      const others = patientConversation(world, world.otherPatient);
      await world.run(async (s) => {
        await s.conversations.create(theirs, [ref(world.patient), ref(world.practitioner)]);
        await s.conversations.create(others, [ref(world.otherPatient), ref(world.practitioner)]);
        await s.audit.appendAll([
          entry({ action: "file.download", conversationId: theirs.id, fileId: newId("file"), at: at(1) }),
          entry({ action: "file.download", conversationId: others.id, at: at(2) }),
          entry({ action: "patient.read", subject: ref(world.patient), at: at(3) }),
          entry({ action: "conversation.list", actor: ref(world.patient), at: at(4) }),
          entry({ action: "patient.read", subject: ref(world.otherPatient), at: at(5) }),
        ]);
      });
      const about = (patientId: string) =>
        world.run(async (s) => (await s.audit.list({ limit: 10, patientId })).items.map((e) => e.at));
      expect(await about(world.patient.id)).toEqual([at(4), at(3), at(1)]);
      expect(await about(world.otherPatient.id)).toEqual([at(5), at(2)]);
      expect(
        (
          await world.run((s) =>
            s.audit.list({ limit: 10, patientId: world.patient.id, action: "file.download" }),
          )
        ).items,
      ).toHaveLength(1);
      expect(
        (await world.runOther((s) => s.audit.list({ limit: 10, patientId: world.patient.id }))).items,
      ).toEqual([]);
    });

    it("REC-6: names a page's conversations, files and people at once, within the clinic only", async () => {
      const conversation = patientConversation(world);
      const fileId = newId("file");
      await world.run(async (s) => {
        await s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]);
        await s.files.create({
          id: fileId,
          clinicId: world.clinic.id,
          conversationId: conversation.id,
          uploader: ref(world.patient),
          clientId: newId("client"),
          name: "MRI.pdf",
          sizeBytes: 10,
          contentType: "application/pdf",
          storageKey: newId("key"),
          state: "pending",
          createdAt: at(0),
        });
      });
      const records = await world.run((s) =>
        s.audit.recordsNamed({ conversationIds: [conversation.id, newId("conv")], fileIds: [fileId] }),
      );
      expect(records.conversations.map((c) => [c.conversation.id, c.conversation.patientId])).toEqual([
        [conversation.id, world.patient.id],
      ]);
      expect(records.conversations[0]?.participants).toEqual(
        expect.arrayContaining([ref(world.patient), ref(world.practitioner)]),
      );
      expect(records.files).toEqual([{ id: fileId, conversationId: conversation.id, name: "MRI.pdf" }]);
      const people = await world.run((s) =>
        s.audit.peopleNamed({
          staffIds: [world.practitioner.id, world.foreignStaff.id],
          patientIds: [world.patient.id, world.foreignPatient.id],
        }),
      );
      expect(people.staff.map((p) => p.name)).toEqual(["Paula Practitioner"]);
      expect(people.patients.map((p) => p.name)).toEqual(["Jane Smith"]);
      const foreign = await world.runOther((s) =>
        s.audit.recordsNamed({ conversationIds: [conversation.id], fileIds: [fileId] }),
      );
      expect(foreign).toEqual({ conversations: [], files: [] });
    });
  });
}
