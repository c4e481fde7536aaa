import { beforeEach, describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/index";
import { clientId, createWorld, type World } from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const dueEntries = () => world.uow.scheduledDue();

describe("SCHED-1 scheduled messages on the clinic's wall clock", () => {
  it("SCHED-1: a clinic in New York schedules 9:00 either side of its DST change; it goes at 9:00 on its wall clock", async () => {
    const { chat, uow } = world;
    const clinicId = "clinic-ny";
    await uow.run(clinicId, async (s) => {
      await s.clinics.create({
        id: clinicId,
        name: "Hudson Clinic",
        plan: "premium",
        timeZone: "America/New_York",
        settings: { ...defaultSettings("premium"), patientChatEnabled: true },
      });
      await s.directory.saveStaff({
        id: "ny-staff",
        clinicId,
        name: "Nia Staff",
        email: "nia@ny.staff.test",
        role: "staff",
        active: true,
        availableForPatientChat: true,
        emailNotifications: true,
      });
      await s.directory.savePatient({
        id: "ny-patient",
        clinicId,
        name: "Pat Hudson",
        email: "pat@ny.patients.test",
        mobilePhone: null,
        smsConsent: false,
        portalAccount: "active",
      });
    });
    const staff = { clinicId, person: { kind: "staff" as const, id: "ny-staff" } };
    const { conversation } = await chat.startPatientChat(staff, { patientId: "ny-patient" });
    const options = await chat.sendLaterOptions(staff);
    expect(options.timeZone).toBe("America/New_York");
    // Summer time starts on Sunday 10 March 2030 at 2:00.
    const before = await chat.scheduleMessage(staff, {
      conversationId: conversation.id,
      clientId: clientId(),
      text: "Saturday",
      when: { date: "2030-03-09", minute: 540 },
    });
    const after = await chat.scheduleMessage(staff, {
      conversationId: conversation.id,
      clientId: clientId(),
      text: "Sunday",
      when: { date: "2030-03-10", minute: 540 },
    });
    expect(before.sendAt).toEqual(new Date("2030-03-09T14:00:00Z"));
    expect(after.sendAt).toEqual(new Date("2030-03-10T13:00:00Z"));
    expect(after.local).toEqual({ date: "2030-03-10", minute: 540, timeZone: "America/New_York" });
    const due = dueEntries().filter((d) => d.clinicId === clinicId);
    world.clock.advanceTo(new Date("2030-03-09T13:59:00Z"));
    expect(await chat.sendScheduledMessage(due[0]!)).toBe("not_due");
    world.clock.advanceTo(new Date("2030-03-09T14:00:00Z"));
    expect(await chat.sendScheduledMessage(due[0]!)).toBe("sent");
    world.clock.advanceTo(new Date("2030-03-10T13:00:00Z"));
    expect(await chat.sendScheduledMessage(due[1]!)).toBe("sent");
  });
});
