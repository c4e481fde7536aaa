import type { EmergencyGrant, PersonRef } from "@clinic-chat/domain";
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

/** EmergencyAccessStore and the `emergencyUntil` read fact (REC-7). */
export function emergencyAccessContract(factory: UnitOfWorkFactory): void {
  describe("EmergencyAccessStore", () => {
    let world: World;
    let conversationId: string;
    beforeEach(async () => {
      world = await seedWorld(factory);
      const conversation = patientConversation(world);
      conversationId = conversation.id;
      await world.run((s) =>
        s.conversations.create(conversation, [ref(world.patient), ref(world.practitioner)]),
      );
    });
    const grant = (minute: number, overrides: Partial<EmergencyGrant> = {}): EmergencyGrant => ({
      id: newId("grant"),
      clinicId: world.clinic.id,
      conversationId,
      adminId: world.admin.id,
      reason: "Her practitioner is away; she called about chest pain",
      grantedAt: at(minute),
      expiresAt: at(minute + 60),
      ...overrides,
    });

    it("REC-7: keeps grants with their reasons and lists the clinic's recent ones newest first", async () => {
      const first = grant(0);
      const second = grant(30, { adminId: world.colleague.id });
      await world.run(async (s) => {
        await s.emergencyAccess.grant(first);
        await s.emergencyAccess.grant(second);
      });
      expect(await world.run((s) => s.emergencyAccess.grantedSince(at(0), 10))).toEqual([second, first]);
      expect(await world.run((s) => s.emergencyAccess.grantedSince(at(10), 10))).toEqual([second]);
      expect(await world.run((s) => s.emergencyAccess.grantedSince(at(0), 1))).toEqual([second]);
      expect(await world.runOther((s) => s.emergencyAccess.grantedSince(at(0), 10))).toEqual([]);
    });

    it("REC-7: a read's facts say until when the person's latest grant runs; nobody else's", async () => {
      await world.run(async (s) => {
        await s.emergencyAccess.grant(grant(0));
        await s.emergencyAccess.grant(grant(20));
      });
      const facts = (person: PersonRef) =>
        world.run((s) => s.conversations.accessFacts(conversationId, person));
      expect((await facts(ref(world.admin))).emergencyUntil).toEqual(at(80));
      expect((await facts(ref(world.colleague))).emergencyUntil ?? null).toBeNull();
      expect((await facts(ref(world.patient))).emergencyUntil ?? null).toBeNull();
      expect((await facts(ref(world.practitioner))).participants).toHaveLength(2);
    });

    it("ELIG-5: no grant reaches into another clinic's conversation", async () => {
      await expect(
        world.runOther((s) =>
          s.emergencyAccess.grant(
            grant(0, { clinicId: world.otherClinic.id, adminId: world.foreignStaff.id }),
          ),
        ),
      ).rejects.toThrow();
    });
  });
}
