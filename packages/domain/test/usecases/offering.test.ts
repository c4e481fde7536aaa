import { beforeEach, describe, expect, it } from "vitest";
import { createClinicChat } from "../../src/createClinicChat";
import type { Directory } from "../../src/people/Directory";
import { loadActing } from "../../src/people/loadPerson";
import type { StaffMember } from "../../src/people/people";
import type { Stores, UnitOfWork } from "../../src/shared/UnitOfWork";
import { createWorld, refused, type World } from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

/** A unit of work whose directory answers `availablePractitioners` with `candidates`, whatever they are. */
function directoryOffering(
  inner: UnitOfWork,
  candidates: (stores: Stores) => Promise<StaffMember[]>,
): UnitOfWork {
  return {
    run: (clinicId, work) =>
      inner.run(clinicId, (stores) => {
        const directory: Directory = Object.create(stores.directory, {
          availablePractitioners: { value: () => candidates(stores) },
        });
        return work({ ...stores, directory });
      }),
  };
}

describe("ELIG-2: the domain decides who is offered, whatever the store returns", () => {
  it("ELIG-2 ELIG-5 ELIG-6: a store that returns every staff member (and another clinic's) yields only active, available practitioners of the clinic", async () => {
    const { a, b } = world;
    const everyone = async (stores: Stores) => [
      ...(await stores.directory.staffMembers(a.staff.map((s) => s.id))),
      // A foreign practitioner, as a store that forgot its clinic filter would return it.
      b.staff.find((s) => s.role === "practitioner" && s.availableForPatientChat)!,
    ];
    const chat = createClinicChat({ ...world.deps, uow: directoryOffering(world.uow, everyone) });
    const offered = await chat.availablePractitioners(a.patient);
    expect(offered.map((p) => p.id)).toEqual([a.practitioner.person.id]);
  });

  it("ELIG-2: a practitioner with availability off that the store returns is not offered", async () => {
    const { a } = world;
    const unavailable = a.staff.find((s) => s.id === a.unavailablePractitioner.person.id)!;
    expect(unavailable.availableForPatientChat).toBe(false);
    const chat = createClinicChat({
      ...world.deps,
      uow: directoryOffering(world.uow, async () => [unavailable]),
    });
    expect(await chat.availablePractitioners(a.patient)).toEqual([]);
  });
});

describe("loadActing: the acting person, refused unless they may act as the use case needs", () => {
  const load = (actor: Parameters<typeof loadActing>[1], as: "person" | "staff" | "admin" | "patient") =>
    world.uow.run(actor.clinicId, (stores) => loadActing(stores, actor, { as }));

  it("ELIG-6: anyone active acts as a person; deactivated staff and inactive portal accounts are refused", async () => {
    const { a } = world;
    expect(await load(a.frontDesk, "person")).toMatchObject({
      kind: "staff",
      staff: { id: a.frontDesk.person.id },
    });
    expect(await load(a.patient, "person")).toMatchObject({
      kind: "patient",
      patient: { id: a.patient.person.id },
    });
    await refused(load(a.deactivated, "person"), "STAFF_INACTIVE");
    await refused(load(a.patientDisabled, "patient"), "PATIENT_PORTAL_INACTIVE");
    await refused(load(a.patientInvited, "person"), "PATIENT_PORTAL_INACTIVE");
  });

  it("SEC-1: staff, admin and patient use cases refuse the other kinds with FORBIDDEN", async () => {
    const { a } = world;
    expect(await load(a.frontDesk, "staff")).toMatchObject({ id: a.frontDesk.person.id, role: "staff" });
    expect(await load(a.admin, "admin")).toMatchObject({ id: a.admin.person.id, role: "admin" });
    expect(await load(a.patient, "patient")).toMatchObject({ id: a.patient.person.id });
    await refused(load(a.practitioner, "admin"), "FORBIDDEN");
    await refused(load(a.patient, "staff"), "FORBIDDEN");
    await refused(load(a.admin, "patient"), "FORBIDDEN");
  });

  it("ELIG-5: someone of another clinic is NOT_FOUND, like an unknown id", async () => {
    const { a, b } = world;
    await refused(load({ ...b.admin, clinicId: a.clinicId }, "person"), "NOT_FOUND");
    await refused(load({ ...a.patient, person: { kind: "patient", id: "nobody" } }, "patient"), "NOT_FOUND");
  });
});
