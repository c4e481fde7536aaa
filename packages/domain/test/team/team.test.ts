import { describe, expect, it } from "vitest";
import { applyTeamChange, decideTeamChange, isTimeZone, type StaffMember } from "../../src/index";

const member = (id: string, role: StaffMember["role"], active = true): StaffMember => ({
  id,
  clinicId: "clinic-1",
  name: `Member ${id}`,
  email: `${id}@clinic.test`,
  role,
  active,
  availableForPatientChat: true,
  emailNotifications: true,
});

describe("Team changes (ADMIN-2)", () => {
  const ada = member("ada", "admin");
  const dora = member("dora", "practitioner");
  const fred = member("fred", "admin", false);

  it("ADMIN-2: the last active admin can be neither deactivated nor demoted", () => {
    const team = [ada, dora, fred];
    expect(decideTeamChange(team, ada, { kind: "deactivate" })).toEqual({
      allowed: false,
      reason: "LAST_ACTIVE_ADMIN",
    });
    for (const role of ["practitioner", "staff"] as const)
      expect(decideTeamChange(team, ada, { kind: "role", role })).toEqual({
        allowed: false,
        reason: "LAST_ACTIVE_ADMIN",
      });
    expect(decideTeamChange(team, ada, { kind: "role", role: "admin" }).allowed).toBe(true);
  });

  it("ADMIN-2: with another active admin, an admin may be deactivated or demoted", () => {
    const bea = member("bea", "admin");
    expect(decideTeamChange([ada, bea], ada, { kind: "deactivate" }).allowed).toBe(true);
    expect(decideTeamChange([ada, bea], ada, { kind: "role", role: "staff" }).allowed).toBe(true);
  });

  it("ADMIN-2, ELIG-6: other members change freely; the change gives the member's new standing", () => {
    expect(decideTeamChange([ada, dora], dora, { kind: "deactivate" }).allowed).toBe(true);
    expect(decideTeamChange([ada, fred], fred, { kind: "reactivate" }).allowed).toBe(true);
    expect(applyTeamChange(dora, { kind: "deactivate" })).toEqual({ ...dora, active: false });
    expect(applyTeamChange(fred, { kind: "reactivate" })).toEqual({ ...fred, active: true });
    expect(applyTeamChange(dora, { kind: "role", role: "admin" })).toEqual({ ...dora, role: "admin" });
  });
});

describe("Clinic time zones (ADMIN-1)", () => {
  it("ADMIN-1: IANA zone names are time zones; offsets, case variants and unknown names are not", () => {
    for (const zone of ["UTC", "Europe/Paris", "America/New_York", "America/Argentina/Buenos_Aires"])
      expect(isTimeZone(zone), zone).toBe(true);
    for (const bad of [
      "",
      "utc",
      "europe/paris",
      "+01:00",
      "Mars/Olympus_Mons",
      " Europe/Paris",
      "Europe/Paris\u0000",
    ])
      expect(isTimeZone(bad), bad).toBe(false);
  });
});
