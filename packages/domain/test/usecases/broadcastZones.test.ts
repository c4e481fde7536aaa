import { beforeEach, describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/index";
import { createWorld, type World } from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

/** A clinic far ahead of UTC (UTC+14 all year), with a practitioner and three patients. */
async function kiritimatiClinic() {
  const clinicId = "clinic-kiritimati";
  await world.uow.run(clinicId, async (s) => {
    await s.clinics.create({
      id: clinicId,
      name: "Line Islands Clinic",
      plan: "premium",
      timeZone: "Pacific/Kiritimati",
      settings: { ...defaultSettings("premium"), patientChatEnabled: true },
    });
    await s.directory.saveStaff({
      id: "kiri-admin",
      clinicId,
      name: "Ari Admin",
      email: "ari@kiri.staff.test",
      role: "admin",
      active: true,
      availableForPatientChat: true,
      emailNotifications: true,
    });
    for (const key of ["early", "late", "after"]) {
      await s.directory.savePatient({
        id: `kiri-${key}`,
        clinicId,
        name: `Pat ${key}`,
        email: `${key}@kiri.patients.test`,
        mobilePhone: null,
        smsConsent: false,
        portalAccount: "active",
      });
    }
    // On the clinic's calendar: 8 January 00:30, 8 January 23:30, and 9 January 00:30.
    const starts = {
      early: new Date(Date.UTC(2030, 0, 7, 10, 30)),
      late: new Date(Date.UTC(2030, 0, 8, 9, 30)),
      after: new Date(Date.UTC(2030, 0, 8, 10, 30)),
    };
    for (const [key, startsAt] of Object.entries(starts)) {
      await s.appointments.save({
        id: `kiri-appointment-${key}`,
        clinicId,
        patientId: `kiri-${key}`,
        practitionerId: "kiri-admin",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 30 * 60_000),
        status: "scheduled",
      });
    }
  });
  return { clinicId, person: { kind: "staff" as const, id: "kiri-admin" } };
}

describe("BCAST-1 appointment days on the clinic's calendar", () => {
  it("BCAST-1: a clinic at UTC+14 picks 8 January: the appointments of its 8 January, not of UTC's", async () => {
    const admin = await kiritimatiClinic();
    const oneDay = await world.chat.previewBroadcast(admin, {
      kind: "text",
      audience: { kind: "appointments", from: "2030-01-08", to: "2030-01-08" },
    });
    // UTC's 8 January would have named "late" and "after" instead.
    expect(oneDay.recipients).toBe(2);
    const sent = await world.chat.sendBroadcast(admin, {
      clientId: "kiri-closure",
      content: { kind: "text", text: "Closed on the 8th" },
      audience: { kind: "appointments", from: "2030-01-08", to: "2030-01-08" },
      sendAt: null,
    });
    expect(sent.audience).toEqual({
      kind: "appointments",
      from: new Date("2030-01-07T10:00:00Z"),
      to: new Date("2030-01-08T10:00:00Z"),
    });
    const report = await world.chat.broadcastReport(admin, { broadcastId: sent.id, limit: 10 });
    expect(report.recipients.map((r) => r.patientId).sort()).toEqual(["kiri-early", "kiri-late"]);
    const twoDays = await world.chat.previewBroadcast(admin, {
      kind: "text",
      audience: { kind: "appointments", from: "2030-01-08", to: "2030-01-09" },
    });
    expect(twoDays.recipients).toBe(3);
  });
});
