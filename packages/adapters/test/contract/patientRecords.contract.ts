import { beforeEach, describe, expect, it } from "vitest";
import { patientOf, seedWorld, type UnitOfWorkFactory, type World } from "./fixtures";

/** Directory: patients' dates of birth and host ids, look-up by host id and saving many (ADMIN-3, ADMIN-5). */
export function patientRecordsContract(factory: UnitOfWorkFactory): void {
  describe("Directory patient records", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    it("ADMIN-5: reads back a patient's date of birth and host id", async () => {
      const patient = patientOf(world.clinic.id, "Dora Birthday", {
        dateOfBirth: "1984-03-12",
        hostId: "H-1",
      });
      await world.run((s) => s.directory.savePatient(patient));
      expect(await world.run((s) => s.directory.patient(patient.id))).toEqual(patient);
    });

    it("ADMIN-3: finds patients by host id within the clinic only", async () => {
      const ours = patientOf(world.clinic.id, "Hal Host", { dateOfBirth: "1970-01-02", hostId: "H-7" });
      const theirs = patientOf(world.otherClinic.id, "Hal Other", {
        dateOfBirth: "1971-01-02",
        hostId: "H-7",
      });
      await world.run((s) => s.directory.savePatient(ours));
      await world.runOther((s) => s.directory.savePatient(theirs));
      expect(await world.run((s) => s.directory.patientsByHostIds(["H-7", "H-8"]))).toEqual([ours]);
      expect(await world.runOther((s) => s.directory.patientsByHostIds(["H-7"]))).toEqual([theirs]);
      expect(await world.run((s) => s.directory.patientsByHostIds([]))).toEqual([]);
    });

    it("ADMIN-3: a host id names at most one patient of a clinic", async () => {
      const first = patientOf(world.clinic.id, "First Holder", { dateOfBirth: "1980-05-05", hostId: "H-9" });
      const second = patientOf(world.clinic.id, "Second Holder", {
        dateOfBirth: "1981-05-05",
        hostId: "H-9",
      });
      await world.run((s) => s.directory.savePatient(first));
      await expect(world.run((s) => s.directory.savePatient(second))).rejects.toThrow();
      expect(await world.run((s) => s.directory.patient(second.id))).toBeNull();
    });

    it("ADMIN-3: saves many patients at once, adding new ones and replacing known ones", async () => {
      const known = patientOf(world.clinic.id, "Kim Known", { dateOfBirth: "1990-01-01", hostId: "K-1" });
      await world.run((s) => s.directory.savePatient(known));
      const renamed = { ...known, name: "Kim Renamed", dateOfBirth: "1990-01-31", mobilePhone: "+15550100" };
      const added = Array.from({ length: 30 }, (_, i) =>
        patientOf(world.clinic.id, `Many Patient ${i}`, { dateOfBirth: "2001-02-03", hostId: `M-${i}` }),
      );
      await world.run((s) => s.directory.savePatients([renamed, ...added]));
      await world.run(async (s) => {
        expect(await s.directory.patient(known.id)).toEqual(renamed);
        const found = await s.directory.patientsByHostIds(added.map((p) => p.hostId!));
        expect(found.sort((a, b) => a.hostId!.localeCompare(b.hostId!))).toEqual(
          [...added].sort((a, b) => a.hostId!.localeCompare(b.hostId!)),
        );
        expect((await s.directory.searchPatients("kim renamed", 5)).map((m) => m.person.id)).toEqual([
          known.id,
        ]);
      });
    });

    it("ELIG-5: saving many refuses a patient of another clinic and saves none of them", async () => {
      const ours = patientOf(world.clinic.id, "Olive Ours", { dateOfBirth: "1990-01-01", hostId: "O-1" });
      const stray = patientOf(world.otherClinic.id, "Stan Stray", {
        dateOfBirth: "1990-01-01",
        hostId: "O-2",
      });
      await expect(world.run((s) => s.directory.savePatients([ours, stray]))).rejects.toThrow();
      expect(await world.run((s) => s.directory.patient(ours.id))).toBeNull();
    });
  });
}
