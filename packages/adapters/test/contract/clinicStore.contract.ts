import { defaultSettings } from "@clinic-chat/domain";
import { defaultOfficeHours } from "@clinic-chat/domain/hours";
import { beforeEach, describe, expect, it } from "vitest";
import { seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** ClinicStore: the clinic of the unit of work, its plan and settings. */
export function clinicStoreContract(factory: UnitOfWorkFactory): void {
  describe("ClinicStore", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    it("reads back the clinic it created", async () => {
      expect(await world.run((s) => s.clinics.get(world.clinic.id))).toEqual(world.clinic);
    });

    it("replaces the settings", async () => {
      const settings = { ...world.clinic.settings, patientChatEnabled: true, notificationDelaySeconds: 30 };
      await world.run((s) => s.clinics.saveSettings(world.clinic.id, settings));
      expect((await world.run((s) => s.clinics.get(world.clinic.id)))?.settings).toEqual(settings);
    });

    it("HOURS-1: keeps the office hours and reads them back with the clinic", async () => {
      const hours = {
        ...defaultOfficeHours("America/Chicago"),
        closedDates: ["2030-12-25"],
        guidelines: "For emergencies call 911.",
        afterHoursReply: true,
      };
      await world.run((s) => s.clinics.saveOfficeHours(world.clinic.id, hours));
      expect(await world.run((s) => s.clinics.get(world.clinic.id))).toEqual({
        ...world.clinic,
        officeHours: hours,
      });
      // ELIG-5: saved from another clinic's unit of work, nothing changes.
      await world.run((s) => s.clinics.saveOfficeHours(world.otherClinic.id, hours));
      expect((await world.runOther((s) => s.clinics.get(world.otherClinic.id)))?.officeHours).toBeUndefined();
    });

    it("ENT-3: changing the plan keeps the settings as they are", async () => {
      await world.run((s) => s.clinics.savePlan(world.clinic.id, "starter"));
      const clinic = await world.run((s) => s.clinics.get(world.clinic.id));
      expect(clinic?.plan).toBe("starter");
      expect(clinic?.settings).toEqual(defaultSettings("premium"));
    });

    it("ELIG-5: another clinic and an unknown id both read as missing, and cannot be changed", async () => {
      expect(await world.run((s) => s.clinics.get(world.otherClinic.id))).toBeNull();
      expect(await world.run((s) => s.clinics.get("no-such-clinic"))).toBeNull();
      await world.run(async (s) => {
        await s.clinics.savePlan(world.otherClinic.id, "starter");
        await s.clinics.saveSettings(world.otherClinic.id, {
          ...world.otherClinic.settings,
          patientChatEnabled: true,
        });
      });
      expect(await world.runOther((s) => s.clinics.get(world.otherClinic.id))).toEqual(world.otherClinic);
    });

    it("ELIG-5: a clinic cannot be created from another clinic's unit of work", async () => {
      const stray = { ...world.otherClinic, id: `${world.otherClinic.id}-2` };
      await expect(world.run((s) => s.clinics.create(stray))).rejects.toThrow();
      expect(await world.uow.run(stray.id, (s) => s.clinics.get(stray.id))).toBeNull();
    });
  });
}
