import { beforeEach, describe, expect, it } from "vitest";
import { defaultOfficeHours, type OfficeHours } from "../../src/hours/OfficeHours";
import type { Actor } from "../../src/people/people";
import { inboxCounts, sharedPatientConversation } from "./support/inbox";
import { auditTrail, createWorld, eventLog, refused, runTimers, say, type World } from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

const sharedConversation = () => sharedPatientConversation(world);
const counts = (who: Actor) => inboxCounts(world, who);

describe("HOURS-2, HOURS-3 after hours", () => {
  /** Clinic A keeps New York hours with the automatic reply on; the scenario's clock starts Monday 9:00 UTC (4:00 in New York). */
  async function keepHours(change: Partial<OfficeHours> = {}) {
    await world.chat.changeOfficeHours(world.a.admin, {
      ...defaultOfficeHours("America/New_York"),
      guidelines: "For emergencies call 911. We answer within one business day.",
      afterHoursReply: true,
      ...change,
    });
  }

  it("HOURS-2: before sending, the patient sees the notice with the next opening and the guidelines", async () => {
    const { a, chat } = world;
    await keepHours();
    const notice = await chat.afterHoursNotice(a.patient);
    expect(notice).toEqual({
      open: false,
      // Monday 2030-01-07 9:00 EST.
      nextOpeningAt: new Date("2030-01-07T14:00:00Z"),
      guidelines: "For emergencies call 911. We answer within one business day.",
      clinicTimeZone: "America/New_York",
    });
    world.clock.advanceTo(new Date("2030-01-07T15:00:00Z"));
    expect(await chat.afterHoursNotice(a.patient)).toMatchObject({ open: true, nextOpeningAt: null });
  });

  it("HOURS-3: one automatic reply per conversation per 12 hours, naming the next opening, notifying nobody", async () => {
    const { a, chat } = world;
    await keepHours();
    const id = await sharedConversation();
    await say(world, a.patient, id, "hello, after hours");
    await say(world, a.patient, id, "and again");
    // 18:30 in New York, 14.5 hours after the first reply: closed again, a reply is due.
    world.clock.advanceTo(new Date("2030-01-07T23:30:00Z"));
    await say(world, a.patient, id, "evening");
    const replies = (await chat.readTimeline(a.patient, { conversationId: id })).entries;
    expect(replies.map((e) => [e.kind, e.afterSeq, e.nextOpeningAt?.toISOString()])).toEqual([
      ["auto_reply", 1, "2030-01-07T14:00:00.000Z"],
      ["auto_reply", 3, "2030-01-08T14:00:00.000Z"],
    ]);
    const autoEvents = (await eventLog(world, a.clinicId)).filter(
      (e) => e.type === "conversation.auto_replied",
    );
    expect(autoEvents).toHaveLength(2);
    // Notifies nobody: the staff are emailed for the patient's messages, the patient for nothing.
    await runTimers(world);
    expect(world.email.recipients()).not.toContain(
      a.patients.find((p) => p.id === a.patient.person.id)!.email,
    );
    // Not a staff reply: still awaiting.
    expect((await counts(a.practitioner)).awaiting).toBe(1);
  });

  it("HOURS-3: within 12 hours of the last automatic reply, none; at 12 hours, the next", async () => {
    const { a, chat } = world;
    await keepHours({
      weekly: { ...defaultOfficeHours("UTC").weekly, monday: [], tuesday: [], wednesday: [] },
    });
    const id = await sharedConversation();
    await say(world, a.patient, id, "first");
    world.clock.advance(12 * 3_600_000 - 1);
    await say(world, a.patient, id, "second");
    world.clock.advance(1);
    await say(world, a.patient, id, "third");
    const replies = (await chat.readTimeline(a.practitioner, { conversationId: id })).entries.filter(
      (e) => e.kind === "auto_reply",
    );
    expect(replies.map((e) => e.afterSeq)).toEqual([1, 3]);
  });

  it("HOURS-3: no reply during opening hours, nor with the automatic reply off, nor for staff messages", async () => {
    const { a, chat } = world;
    await keepHours({ afterHoursReply: false });
    const id = await sharedConversation();
    await say(world, a.patient, id, "off");
    await say(world, a.practitioner, id, "staff after hours");
    await keepHours();
    world.clock.advanceTo(new Date("2030-01-07T15:00:00Z"));
    await say(world, a.patient, id, "open now");
    expect(
      (await chat.readTimeline(a.practitioner, { conversationId: id })).entries.map((e) => e.kind),
    ).toEqual(["participant_added"]);
  });

  it("HOURS-4: the guidelines are in the patient's notification email, not in the staff's", async () => {
    const { a } = world;
    await keepHours();
    const id = await sharedConversation();
    await say(world, a.practitioner, id, "Your results are in.");
    await say(world, a.patient, id, "Thank you!");
    await runTimers(world);
    const patientEmail = a.patients.find((p) => p.id === a.patient.person.id)!.email;
    const toPatient = world.email.sent.filter((s) => s.to === patientEmail);
    const toStaff = world.email.sent.filter((s) => s.to !== patientEmail);
    expect(toPatient).toHaveLength(1);
    expect(toPatient[0]?.payload.text).toContain(
      "For emergencies call 911. We answer within one business day.",
    );
    expect(toStaff.length).toBeGreaterThan(0);
    for (const sent of toStaff) expect(sent.payload.text).not.toContain("For emergencies");
  });

  it("HOURS-4, NOTIF-4: the patient's text message says the sentence and the link only, in one segment; the guidelines go by email", async () => {
    const { a, chat } = world;
    await keepHours();
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    const id = await sharedConversation();
    await say(world, a.practitioner, id, "Your results are in.");
    await runTimers(world);
    expect(world.sms.sent).toHaveLength(1);
    const text = world.sms.sent[0]!.payload.text;
    expect(text).toBe(
      `You have a new secure message from Lakeside Clinic. Sign in to read it. ${world.sms.sent[0]!.payload.link}`,
    );
    expect(text).not.toContain("For emergencies");
    expect(text.length).toBeLessThanOrEqual(160);
    const patientEmail = a.patients.find((p) => p.id === a.patient.person.id)!.email;
    expect(world.email.sent.find((s) => s.to === patientEmail)?.payload.text).toContain(
      "For emergencies call 911.",
    );
  });

  it("HOURS-1: only an admin keeps office hours; a change is audited as a settings change", async () => {
    const { a, chat } = world;
    await refused(chat.changeOfficeHours(a.practitioner, defaultOfficeHours("UTC")), "FORBIDDEN");
    await refused(
      chat.changeOfficeHours(a.admin, { ...defaultOfficeHours("UTC"), guidelines: "x".repeat(301) }),
      "INVALID_INPUT",
    );
    const kept = await chat.changeOfficeHours(a.admin, {
      ...defaultOfficeHours("Europe/Berlin"),
      closedDates: ["2030-12-25", "2030-12-24", "2030-12-25"],
      guidelines: "  Not for emergencies.  ",
    });
    expect(kept.closedDates).toEqual(["2030-12-24", "2030-12-25"]);
    expect(await chat.officeHours(a.frontDesk)).toEqual(kept);
    expect((await auditTrail(world, a.clinicId)).at(-1)).toMatchObject({
      action: "settings.change",
      outcome: "success",
    });
  });
});
