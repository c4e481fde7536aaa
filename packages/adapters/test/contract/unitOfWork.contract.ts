import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  patientConversation,
  patientOf,
  postText,
  ref,
  seedWorld,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** UnitOfWork: all or nothing, bound to one clinic (SEC-4). */
export function unitOfWorkContract(factory: UnitOfWorkFactory): void {
  describe("UnitOfWork", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    it("returns what the work returns and commits what it wrote", async () => {
      const patient = patientOf(world.clinic.id, "Kept Patient");
      const result = await world.run(async (s) => {
        await s.directory.savePatient(patient);
        return "done";
      });
      expect(result).toBe("done");
      expect(await world.run((s) => s.directory.patient(patient.id))).toEqual(patient);
    });

    it("writes nothing when the work throws", async () => {
      const patient = patientOf(world.clinic.id, "Lost Patient");
      const conversation = patientConversation(world);
      await expect(
        world.run(async (s) => {
          await s.directory.savePatient(patient);
          await s.conversations.create(conversation, [ref(world.patient)]);
          await postText(s, conversation.id, ref(world.patient), "lost", at(1));
          throw new Error("use case failed");
        }),
      ).rejects.toThrow("use case failed");
      await world.run(async (s) => {
        expect(await s.directory.patient(patient.id)).toBeNull();
        expect(await s.conversations.get(conversation.id)).toBeNull();
      });
    });

    it("SEC-4: a unit of work of an unknown clinic sees nothing", async () => {
      await world.uow.run("no-such-clinic", async (s) => {
        expect(await s.clinics.get("no-such-clinic")).toBeNull();
        expect(await s.directory.patient(world.patient.id)).toBeNull();
        expect(await s.directory.searchPatients("jane", 10)).toEqual([]);
        expect(await s.events.after(0, 10)).toEqual([]);
      });
    });
  });
}
