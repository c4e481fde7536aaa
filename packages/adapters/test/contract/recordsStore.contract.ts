import type { LegalHold } from "@clinic-chat/domain/records";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  patientConversation,
  postText,
  ref,
  seedWorld,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** RecordsStore: legal holds (REC-4), the retention period and its run (REC-3), within one clinic (ELIG-5). */
export function recordsStoreContract(factory: UnitOfWorkFactory): void {
  describe("RecordsStore", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });
    const hold = (patientId: string, minutes: number): LegalHold => ({
      clinicId: world.clinic.id,
      patientId,
      reason: "Records requested by counsel",
      placedBy: world.admin.id,
      placedAt: at(minutes),
    });

    it("REC-4: places, reads, lists newest first and lifts holds; another clinic sees none", async () => {
      const first = hold(world.patient.id, 1);
      const second = hold(world.otherPatient.id, 2);
      await world.run(async (s) => {
        await s.records.placeHold(first);
        await s.records.placeHold(second);
      });
      expect(await world.run((s) => s.records.hold(world.patient.id))).toEqual(first);
      expect(await world.run((s) => s.records.holds())).toEqual([second, first]);
      expect(await world.runOther((s) => s.records.holds())).toEqual([]);
      expect(await world.runOther((s) => s.records.hold(world.patient.id))).toBeNull();
      await world.run((s) => s.records.liftHold(world.patient.id));
      expect(await world.run((s) => s.records.hold(world.patient.id))).toBeNull();
      expect(await world.run((s) => s.records.holds())).toEqual([second]);
    });

    it("REC-4: a patient has one hold at most", async () => {
      await world.run((s) => s.records.placeHold(hold(world.patient.id, 1)));
      await expect(world.run((s) => s.records.placeHold(hold(world.patient.id, 2)))).rejects.toThrow();
    });

    it("REC-2: a patient's conversations are found before anyone writes in them, and none of another patient or clinic", async () => {
      const written = patientConversation(world);
      const other = patientConversation(world, world.otherPatient);
      await world.run(async (s) => {
        await s.conversations.create(written, [ref(world.patient), ref(world.practitioner)]);
        await s.conversations.create(other, [ref(world.otherPatient), ref(world.practitioner)]);
      });
      const found = await world.run((s) => s.records.patientConversations(world.patient.id));
      expect(found.map((c) => c.id)).toEqual([written.id]);
      expect(await world.runOther((s) => s.records.patientConversations(world.patient.id))).toEqual([]);
      expect(await world.run((s) => s.records.patientConversations(world.foreignPatient.id))).toEqual([]);
    });

    it("REC-3: keeps, replaces and clears the retention period and the run's progress, per clinic", async () => {
      const policy = { period: { amount: 7, unit: "years" as const }, setBy: world.admin.id, setAt: at(1) };
      await world.run((s) => s.records.saveRetention(policy));
      await world.run((s) => s.records.saveRetention({ ...policy, period: { amount: 90, unit: "days" } }));
      expect(await world.run((s) => s.records.retention())).toEqual({
        ...policy,
        period: { amount: 90, unit: "days" },
      });
      expect(await world.runOther((s) => s.records.retention())).toBeNull();
      const run = { startedAt: at(10), cutoff: at(5), deletedMessages: 0, deletedFiles: 0 };
      await world.run((s) => s.records.saveRetentionRun(run));
      await world.run((s) => s.records.saveRetentionRun({ ...run, deletedMessages: 200, deletedFiles: 3 }));
      expect(await world.run((s) => s.records.retentionRun())).toEqual({
        ...run,
        deletedMessages: 200,
        deletedFiles: 3,
      });
      expect(await world.runOther((s) => s.records.retentionRun())).toBeNull();
      await world.run((s) => s.records.saveRetentionRun(null));
      await world.run((s) => s.records.saveRetention(null));
      expect(await world.run((s) => s.records.retentionRun())).toBeNull();
      expect(await world.run((s) => s.records.retention())).toBeNull();
    });

    it("REC-3 REC-4: expired messages are the oldest not yet deleted, before the cut-off, outside held patients' conversations", async () => {
      const held = patientConversation(world, world.patient);
      const open = patientConversation(world, world.otherPatient);
      const staff = ref(world.practitioner);
      const posted = await world.run(async (s) => {
        await s.conversations.create(held, [staff, ref(world.patient)]);
        await s.conversations.create(open, [staff, ref(world.otherPatient)]);
        return {
          heldOld: await postText(s, held.id, staff, "held old", at(1)),
          openOld: await postText(s, open.id, staff, "open old", at(2)),
          openOlder: await postText(s, open.id, staff, "open second", at(3)),
          openErased: await postText(s, open.id, staff, "open erased", at(4)),
          openNew: await postText(s, open.id, staff, "open new", at(100)),
        };
      });
      await world.run(async (s) => {
        await s.messages.erase([posted.openErased.id], {
          kind: "deleted",
          deletedAt: at(50),
          deletedBy: staff,
        });
        await s.records.placeHold(hold(world.patient.id, 5));
      });
      const ids = (messages: readonly { id: string }[]) => messages.map((m) => m.id);
      expect(ids(await world.run((s) => s.records.expiredMessages(at(50), 10)))).toEqual([
        posted.openOld.id,
        posted.openOlder.id,
      ]);
      expect(ids(await world.run((s) => s.records.expiredMessages(at(50), 1)))).toEqual([posted.openOld.id]);
      expect(await world.runOther((s) => s.records.expiredMessages(at(500), 10))).toEqual([]);
      await world.run((s) => s.records.liftHold(world.patient.id));
      expect(ids(await world.run((s) => s.records.expiredMessages(at(50), 10)))).toEqual([
        posted.heldOld.id,
        posted.openOld.id,
        posted.openOlder.id,
      ]);
    });
  });
}
