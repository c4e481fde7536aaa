import { describe, expect, it } from "vitest";
import { createClinic, defaultSettings, isDomainError, setClinicPlan } from "../../src/index";
import { InMemoryUnitOfWork } from "../../src/testing/index";

const clock = { now: () => new Date("2026-03-01T09:00:00Z") };
let next = 0;
const ids = { newId: () => `clinic-${++next}` };

describe("operating clinics (ADMIN-1)", () => {
  it("ADMIN-1: a new clinic has its name, plan, time zone and the plan's default settings; the creation is audited", async () => {
    const uow = new InMemoryUnitOfWork();
    const clinic = await createClinic(
      { uow, ids, clock },
      { name: "  Birch Family Practice ", plan: "enhanced", timeZone: "Europe/Paris" },
    );
    expect(clinic).toEqual({
      id: clinic.id,
      name: "Birch Family Practice",
      plan: "enhanced",
      timeZone: "Europe/Paris",
      settings: defaultSettings("enhanced"),
    });
    expect(await uow.run(clinic.id, (s) => s.clinics.get(clinic.id))).toEqual(clinic);
    const trail = (await uow.run(clinic.id, (s) => s.audit.list({ limit: 10 }))).items;
    expect(trail.map((e) => [e.action, e.actor])).toEqual([["clinic.create", null]]);
  });

  it("ADMIN-1: a bad name or time zone is refused and nothing is written", async () => {
    const uow = new InMemoryUnitOfWork();
    for (const input of [
      { name: " ", plan: "starter" as const, timeZone: "UTC" },
      { name: "Maple\u0000Clinic", plan: "starter" as const, timeZone: "UTC" },
      { name: "Maple Clinic", plan: "starter" as const, timeZone: "Mars/Olympus_Mons" },
      { name: "Maple Clinic", plan: "gold" as never, timeZone: "UTC" },
    ]) {
      const before = next;
      const error = await createClinic({ uow, ids, clock }, input).catch((e: unknown) => e);
      expect(isDomainError(error, "INVALID_INPUT"), JSON.stringify(input)).toBe(true);
      expect(next).toBe(before);
    }
  });

  it("ADMIN-1, ENT-3: the operator changes the plan; settings stay; an unknown clinic is NOT_FOUND", async () => {
    const uow = new InMemoryUnitOfWork();
    const clinic = await createClinic(
      { uow, ids, clock },
      { name: "Oak Clinic", plan: "starter", timeZone: "UTC" },
    );
    const changed = await setClinicPlan({ uow, clock }, { clinicId: clinic.id, plan: "premium" });
    expect(changed).toEqual({ ...clinic, plan: "premium" });
    expect((await uow.run(clinic.id, (s) => s.clinics.get(clinic.id)))?.settings).toEqual(
      defaultSettings("starter"),
    );
    const trail = (await uow.run(clinic.id, (s) => s.audit.list({ limit: 10 }))).items;
    expect(trail.map((e) => e.action).sort()).toEqual(["clinic.create", "clinic.plan_change"]);
    const unknown = await setClinicPlan({ uow, clock }, { clinicId: "nowhere", plan: "premium" }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(unknown, "NOT_FOUND")).toBe(true);
  });
});
