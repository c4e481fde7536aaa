import type { EmergencyGrant, PersonRef } from "@clinic-chat/domain";
import { beforeEach, describe, expect, it } from "vitest";
import {
  at,
  newId,
  patientConversation,
  ref,
  seedWorld,
  teamConversation,
  type UnitOfWorkFactory,
  type World,
} from "./fixtures";

/** ConversationStore.standingsIn: one reader's standing in many conversations (ELIG-4, ELIG-5, REC-7). */
export function conversationStandingsContract(factory: UnitOfWorkFactory): void {
  describe("ConversationStore.standingsIn", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });
    const grant = (conversationId: string, minute: number): EmergencyGrant => ({
      id: newId("grant"),
      clinicId: world.clinic.id,
      conversationId,
      adminId: world.admin.id,
      reason: "Her practitioner is away",
      grantedAt: at(minute),
      expiresAt: at(minute + 60),
    });

    it("ELIG-4 ELIG-5 REC-7: each existing conversation in the order asked, whether the person takes part, and their latest grant", async () => {
      const chat = patientConversation(world);
      const team = teamConversation(world, [world.practitioner, world.colleague]);
      await world.run(async (s) => {
        await s.conversations.create(chat, [ref(world.patient), ref(world.practitioner)]);
        await s.conversations.create(team, [ref(world.practitioner), ref(world.colleague)]);
        await s.emergencyAccess.grant(grant(chat.id, 0));
        await s.emergencyAccess.grant(grant(chat.id, 20));
      });
      const asked = [team.id, "no-such-conversation", chat.id];
      const standings = (person: PersonRef) => world.run((s) => s.conversations.standingsIn(asked, person));
      const [teamNow, chatNow] = await world.run(async (s) => [
        await s.conversations.get(team.id),
        await s.conversations.get(chat.id),
      ]);
      expect(await standings(ref(world.practitioner))).toEqual([
        { conversation: teamNow, participating: true, emergencyUntil: null },
        { conversation: chatNow, participating: true, emergencyUntil: null },
      ]);
      expect(await standings(ref(world.colleague))).toEqual([
        { conversation: teamNow, participating: true, emergencyUntil: null },
        { conversation: chatNow, participating: false, emergencyUntil: null },
      ]);
      expect(await standings(ref(world.admin))).toEqual([
        { conversation: teamNow, participating: false, emergencyUntil: null },
        { conversation: chatNow, participating: false, emergencyUntil: at(80) },
      ]);
      expect(await standings(ref(world.patient))).toEqual([
        { conversation: teamNow, participating: false, emergencyUntil: null },
        { conversation: chatNow, participating: true, emergencyUntil: null },
      ]);
      // One conversation asked alone (a live delivery's read) answers as it does among others.
      for (const person of [world.practitioner, world.colleague, world.admin, world.patient].map(ref)) {
        const [, chatStanding] = await standings(person);
        expect(await world.run((s) => s.conversations.standingsIn([chat.id], person))).toEqual([
          chatStanding,
        ]);
        expect(await world.run((s) => s.conversations.standingsIn(["no-such-conversation"], person))).toEqual(
          [],
        );
      }
      // A person is asked about by kind and id: a staff id asked about as a patient takes part in nothing.
      expect(
        (await standings({ kind: "patient", id: world.practitioner.id })).map((s) => s.participating),
      ).toEqual([false, false]);
    });

    it("ELIG-5: another clinic's conversations leave no standing, and asking for none reads none", async () => {
      const chat = patientConversation(world);
      await world.run((s) => s.conversations.create(chat, [ref(world.patient), ref(world.practitioner)]));
      expect(
        await world.runOther((s) => s.conversations.standingsIn([chat.id], ref(world.practitioner))),
      ).toEqual([]);
      expect(
        await world.runOther((s) => s.conversations.standingsIn([chat.id], ref(world.foreignStaff))),
      ).toEqual([]);
      expect(await world.run((s) => s.conversations.standingsIn([], ref(world.practitioner)))).toEqual([]);
    });
  });
}
