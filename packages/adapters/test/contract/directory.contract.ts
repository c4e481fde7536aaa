import { beforeEach, describe, expect, it } from "vitest";
import { at, patientOf, seedWorld, staffOf, type UnitOfWorkFactory, type World } from "./fixtures";

/** Directory: people by id and name search (START-2), within one clinic (ELIG-5). */
export function directoryContract(factory: UnitOfWorkFactory): void {
  describe("Directory", () => {
    let world: World;
    beforeEach(async () => {
      world = await seedWorld(factory);
    });

    it("reads back staff and patients by id", async () => {
      await world.run(async (s) => {
        expect(await s.directory.staffMember(world.admin.id)).toEqual(world.admin);
        expect(await s.directory.patient(world.patient.id)).toEqual(world.patient);
      });
    });

    it("ELIG-5: people of another clinic and unknown ids read as missing", async () => {
      await world.run(async (s) => {
        expect(await s.directory.staffMember(world.foreignStaff.id)).toBeNull();
        expect(await s.directory.patient(world.foreignPatient.id)).toBeNull();
        expect(await s.directory.patient("no-such-patient")).toBeNull();
        expect(
          await s.directory.staffMembers([
            world.colleague.id,
            world.foreignStaff.id,
            "nobody",
            world.admin.id,
          ]),
        ).toEqual([world.colleague, world.admin]);
        expect(await s.directory.staffMembers([])).toEqual([]);
        expect(
          await s.directory.patients([world.foreignPatient.id, world.patient.id, "nobody", world.patient.id]),
        ).toEqual([world.patient, world.patient]);
        expect(await s.directory.patients([])).toEqual([]);
      });
    });

    it("saving again replaces the person", async () => {
      const moved = {
        ...world.patient,
        portalAccount: "disabled" as const,
        mobilePhone: null,
        name: "Jane Smith-Jones",
      };
      const demoted = { ...world.admin, role: "staff" as const, active: false, emailNotifications: false };
      await world.run(async (s) => {
        await s.directory.savePatient(moved);
        await s.directory.saveStaff(demoted);
      });
      await world.run(async (s) => {
        expect(await s.directory.patient(moved.id)).toEqual(moved);
        expect(await s.directory.staffMember(demoted.id)).toEqual(demoted);
      });
    });

    it("ELIG-5: a person of another clinic cannot be saved through this clinic's unit of work", async () => {
      await expect(
        world.run((s) => s.directory.savePatient(patientOf(world.otherClinic.id, "Stray Patient"))),
      ).rejects.toThrow();
    });

    it("ELIG-5: the patient list pages through this clinic's patients by name, without overlap or gaps", async () => {
      const extra = ["Zoe Adams", "Bob Brown", "Carla Diaz", "Ann Lee"].map((name) =>
        patientOf(world.clinic.id, name),
      );
      await world.run(async (s) => {
        for (const p of extra) await s.directory.savePatient(p);
      });
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await world.run((s) => s.directory.listPatients({ limit: 2, cursor }));
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.name));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(seen).toEqual(["Ann Lee", "Bob Brown", "Carla Diaz", "Jane Smith", "Maria Garcia", "Zoe Adams"]);
      const foreign = await world.runOther((s) => s.directory.listPatients({ limit: 10 }));
      expect(foreign.items.map((p) => p.id)).toEqual([world.foreignPatient.id]);
      expect(foreign.nextCursor).toBeNull();
    });

    it("REC-2: an erased patient reads back as their tombstone, and no list, search or host id finds them", async () => {
      const erin = patientOf(world.clinic.id, "Erin Vale", {
        hostId: "HOST-ERIN",
        dateOfBirth: "1970-01-02",
      });
      await world.run((s) => s.directory.savePatient(erin));
      const tombstone = {
        id: erin.id,
        clinicId: erin.clinicId,
        name: "",
        email: null,
        mobilePhone: null,
        smsConsent: false,
        portalAccount: "none" as const,
        erasure: { at: at(5), by: world.admin.id, reason: "Asked to be forgotten" },
      };
      await world.run((s) => s.directory.erasePatient(tombstone));
      await world.run(async (s) => {
        expect(await s.directory.patient(erin.id)).toEqual(tombstone);
        const listed = await s.directory.listPatients({ limit: 100 });
        expect(listed.items.map((p) => p.id)).not.toContain(erin.id);
        expect(listed.items.map((p) => p.id)).toContain(world.patient.id);
        expect((await s.directory.searchPatients("Erin", 10)).map((m) => m.person.id)).not.toContain(erin.id);
        expect(await s.directory.patientsByHostIds(["HOST-ERIN"])).toEqual([]);
      });
    });

    it("ELIG-2: available practitioners are the active practitioners with availability on, by name", async () => {
      const zed = staffOf(world.clinic.id, "Zed Practitioner", { role: "practitioner" });
      const amy = staffOf(world.clinic.id, "Amy Practitioner", { role: "practitioner" });
      const away = staffOf(world.clinic.id, "Away Practitioner", {
        role: "practitioner",
        availableForPatientChat: false,
      });
      const gone = staffOf(world.clinic.id, "Gone Practitioner", { role: "practitioner", active: false });
      await world.run(async (s) => {
        for (const staff of [zed, amy, away, gone]) await s.directory.saveStaff(staff);
        await s.directory.setAvailability(world.practitioner.id, false);
        await s.directory.setAvailability(away.id, true);
        await s.directory.setAvailability(world.foreignStaff.id, false);
      });
      const names = await world.run(async (s) =>
        (await s.directory.availablePractitioners()).map((p) => p.name),
      );
      expect(names).toEqual(["Amy Practitioner", "Away Practitioner", "Zed Practitioner"]);
      expect(
        (await world.runOther((s) => s.directory.staffMember(world.foreignStaff.id)))
          ?.availableForPatientChat,
      ).toBe(true);
    });

    it("ELIG-3 ELIG-5: the active staff are the clinic's staff not deactivated, by name, and none of another clinic", async () => {
      const gone = staffOf(world.clinic.id, "Aaron Gone", { active: false });
      const zoe = staffOf(world.clinic.id, "Zoe Zimmer");
      await world.run(async (s) => {
        for (const staff of [gone, zoe]) await s.directory.saveStaff(staff);
      });
      const team = await world.run(async (s) => s.directory.activeStaff());
      const names = team.map((p) => p.name);
      expect(names).toContain("Zoe Zimmer");
      expect(names).not.toContain("Aaron Gone");
      expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
      expect(team.every((p) => p.clinicId === world.clinic.id && p.active)).toBe(true);
      expect(team.map((p) => p.id)).not.toContain(world.foreignStaff.id);
      const foreign = await world.runOther(async (s) => s.directory.activeStaff());
      expect(foreign.map((p) => p.id)).toContain(world.foreignStaff.id);
      expect(foreign.map((p) => p.id)).not.toContain(zoe.id);
    });

    describe("name search", () => {
      beforeEach(async () => {
        await world.run(async (s) => {
          for (const name of ["John Smithson", "Zoë Adams", "Peter Parker", "Olga Ivanova"]) {
            await s.directory.savePatient(patientOf(world.clinic.id, name));
          }
        });
      });
      const patientNames = (query: string, limit = 10) =>
        world.run(async (s) => (await s.directory.searchPatients(query, limit)).map((m) => m.person.name));

      it("START-2: a word prefix finds every name with a word starting so, best first", async () => {
        const matches = await world.run((s) => s.directory.searchPatients("smi", 10));
        expect(matches.map((m) => m.person.name)).toEqual(["Jane Smith", "John Smithson"]);
        expect(matches.every((m) => m.score === 1)).toBe(true);
        expect(await patientNames("jane smi")).toEqual(["Jane Smith"]);
        expect(await patientNames("PARK")).toEqual(["Peter Parker"]);
      });

      it("START-2: short queries match word prefixes", async () => {
        expect(await patientNames("ga")).toEqual(["Maria Garcia"]);
        expect(await patientNames("p")).toEqual(["Peter Parker"]);
      });

      it("START-2: a typo still finds the name, scored below 1", async () => {
        const matches = await world.run((s) => s.directory.searchPatients("Garsia", 10));
        expect(matches[0]?.person.name).toBe("Maria Garcia");
        expect(matches[0]?.score).toBeGreaterThan(0);
        expect(matches[0]?.score).toBeLessThan(1);
        expect(await patientNames("ivanowa")).toContain("Olga Ivanova");
      });

      it("START-2: accents are ignored", async () => {
        expect(await patientNames("zoe")).toEqual(["Zoë Adams"]);
        expect(await patientNames("ZOË ad")).toEqual(["Zoë Adams"]);
      });

      it("START-2: results are best first, within the limit, and nothing unrelated matches", async () => {
        const matches = await world.run((s) => s.directory.searchPatients("smit", 1));
        expect(matches).toHaveLength(1);
        const all = await world.run((s) => s.directory.searchPatients("smith", 10));
        const scores = all.map((m) => m.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        expect(scores.every((score) => score > 0 && score <= 1)).toBe(true);
        expect(await patientNames("xylophone")).toEqual([]);
        expect(await patientNames("   ")).toEqual([]);
      });

      it("ELIG-5: search never returns people of another clinic", async () => {
        const ours = await world.run((s) => s.directory.searchPatients("jane smith", 10));
        expect(ours.map((m) => m.person.id)).toEqual([world.patient.id]);
        const theirs = await world.runOther((s) => s.directory.searchPatients("jane", 10));
        expect(theirs.map((m) => m.person.id)).toEqual([world.foreignPatient.id]);
        const staff = await world.run((s) => s.directory.searchStaff("ada", 10));
        expect(staff.map((m) => m.person.id)).toEqual([world.admin.id]);
      });

      it("START-2: staff search tolerates prefixes and typos and lists deactivated staff too", async () => {
        const gone = staffOf(world.clinic.id, "Colette Former", { active: false });
        await world.run((s) => s.directory.saveStaff(gone));
        const names = async (q: string) =>
          world.run(async (s) => (await s.directory.searchStaff(q, 10)).map((m) => m.person.name));
        expect(await names("col")).toEqual(["Colette Former", "Colin Colleague"]);
        expect(await names("colleage")).toContain("Colin Colleague");
      });
    });
  });
}
