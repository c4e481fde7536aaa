import type { NewConversationEvent } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { at, newId, ref, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** EventLog: an ordered, replayable log per clinic (MSG-2). */
export function eventLogContract(factory: UnitOfWorkFactory): void {
  describe("EventLog", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });
    const event = (
      clinicId: string,
      type: NewConversationEvent["type"],
      minute: number,
    ): NewConversationEvent => ({
      clinicId,
      conversationId: type === "clinic.entitlements_changed" ? null : newId("conv"),
      type,
      messageId: type === "message.posted" ? newId("msg") : null,
      person: type === "clinic.entitlements_changed" ? null : ref(world.practitioner),
      seq: type === "conversation.read" ? 3 : null,
      at: at(minute),
    });

    it("MSG-2: events come back in order with increasing ids, and replay resumes after an id", async () => {
      const first = [
        event(world.clinic.id, "conversation.created", 1),
        event(world.clinic.id, "message.posted", 2),
      ];
      const second = [
        event(world.clinic.id, "conversation.read", 3),
        event(world.clinic.id, "clinic.entitlements_changed", 4),
      ];
      await world.run((s) => s.events.append(first));
      await world.run((s) => s.events.append(second));
      await world.run((s) => s.events.append([]));
      const all = await world.run((s) => s.events.after(0, 10));
      expect(all.map(({ id: _id, ...rest }) => rest)).toEqual([...first, ...second]);
      const ids = all.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(4);
      expect(await world.run((s) => s.events.after(ids[1]!, 10))).toEqual(all.slice(2));
      expect(await world.run((s) => s.events.after(ids[0]!, 2))).toEqual(all.slice(1, 3));
      expect(await world.run((s) => s.events.after(ids[3]!, 10))).toEqual([]);
    });

    it("MSG-2: events of a unit of work that failed never appear", async () => {
      await expect(
        world.run(async (s) => {
          await s.events.append([event(world.clinic.id, "message.posted", 1)]);
          throw new Error("use case failed");
        }),
      ).rejects.toThrow("use case failed");
      expect(await world.run((s) => s.events.after(0, 10))).toEqual([]);
    });

    it("ELIG-5: a clinic never sees another clinic's events", async () => {
      await world.run((s) => s.events.append([event(world.clinic.id, "message.posted", 1)]));
      await world.runOther((s) => s.events.append([event(world.otherClinic.id, "message.posted", 2)]));
      const ours = await world.run((s) => s.events.after(0, 10));
      const theirs = await world.runOther((s) => s.events.after(0, 10));
      expect(ours.map((e) => e.clinicId)).toEqual([world.clinic.id]);
      expect(theirs.map((e) => e.clinicId)).toEqual([world.otherClinic.id]);
      await expect(
        world.run((s) => s.events.append([event(world.otherClinic.id, "message.posted", 3)])),
      ).rejects.toThrow();
    });
  });
}
