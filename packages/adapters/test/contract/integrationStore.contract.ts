import type { Appointment } from "@clinic-chat/domain";
import type { ApiCredential } from "@clinic-chat/domain/integration";
import { beforeEach, describe, expect, it } from "vitest";
import { at, newId, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** IntegrationStore: API credentials and the host's ids of staff and appointments, within one clinic (INTEG-1, INTEG-2, ELIG-5). */
export function integrationStoreContract(factory: UnitOfWorkFactory): void {
  describe("IntegrationStore", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });
    const credential = (minutes: number): ApiCredential => ({
      id: newId("credential"),
      clinicId: world.clinic.id,
      name: `System ${minutes}`,
      secretDigest: "ab".repeat(32),
      createdAt: at(minutes),
      createdBy: world.practitioner.id,
      lastUsedAt: null,
      revokedAt: null,
    });

    it("INTEG-1: adds, lists newest first, notes use and revokes credentials; another clinic sees none", async () => {
      const older = credential(1);
      const newer = credential(2);
      await world.run(async (s) => {
        await s.integration.addCredential(older);
        await s.integration.addCredential(newer);
      });
      await world.run(async (s) => {
        await s.integration.markCredentialUsed(older.id, at(5));
        await s.integration.revokeCredential(newer.id, at(6));
      });
      expect(await world.run((s) => s.integration.credentials())).toEqual([
        { ...newer, revokedAt: at(6) },
        { ...older, lastUsedAt: at(5) },
      ]);
      expect(await world.runOther((s) => s.integration.credentials())).toEqual([]);
      expect(await world.runOther((s) => s.integration.credential(older.id))).toBeNull();
    });

    it("INTEG-1: counts a credential's calls minute by minute; an unknown or another clinic's credential counts nothing", async () => {
      const counted = credential(1);
      await world.run((s) => s.integration.addCredential(counted));
      const count = (minute: number) => world.run((s) => s.integration.countCall(counted.id, at(minute)));
      expect([await count(10), await count(10), await count(10)]).toEqual([1, 2, 3]);
      expect(await count(11)).toBe(1);
      expect(await count(11)).toBe(2);
      expect(await world.runOther((s) => s.integration.countCall(counted.id, at(11)))).toBe(0);
      expect(await world.run((s) => s.integration.countCall(newId("credential"), at(11)))).toBe(0);
      expect(await count(11)).toBe(3);
      // Counting is not using: the credential as the admin sees it is unchanged.
      expect(await world.run((s) => s.integration.credential(counted.id))).toEqual(counted);
    });

    it("INTEG-2: finds staff and appointments by the host's ids, saves many appointments, and never another clinic's", async () => {
      await world.run((s) => s.directory.saveStaff({ ...world.practitioner, hostId: "S-1" }));
      const appointments: Appointment[] = [1, 2].map((i) => ({
        id: newId("appt"),
        clinicId: world.clinic.id,
        patientId: world.patient.id,
        practitionerId: world.practitioner.id,
        startsAt: at(60 * i),
        endsAt: at(60 * i + 30),
        status: "scheduled",
        hostId: `A-${i}`,
      }));
      await world.run((s) => s.integration.saveAppointments(appointments));
      await world.run((s) => s.integration.saveAppointments([{ ...appointments[0]!, status: "cancelled" }]));
      expect(await world.run((s) => s.integration.staffByHostIds(["S-1", "S-404"]))).toEqual([
        { ...world.practitioner, hostId: "S-1" },
      ]);
      const found = await world.run((s) => s.integration.appointmentsByHostIds(["A-1", "A-2"]));
      expect(found.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())).toEqual([
        { ...appointments[0]!, status: "cancelled" },
        appointments[1],
      ]);
      expect(await world.runOther((s) => s.integration.staffByHostIds(["S-1"]))).toEqual([]);
      expect(await world.runOther((s) => s.integration.appointmentsByHostIds(["A-1"]))).toEqual([]);
    });
  });
}
