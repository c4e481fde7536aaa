import type { AuditEvent, AuditQuery } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { at, newId, ref, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

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
  });
}
