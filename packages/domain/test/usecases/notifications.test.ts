import { beforeEach, describe, expect, it } from "vitest";
import {
  allPatientNames,
  createWorld,
  dumpJson,
  links,
  patientConversation,
  rows,
  runTimers,
  say,
  scheduledTimers,
  updateStaff,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
let conversationId: string;
beforeEach(async () => {
  world = await createWorld();
  const { a, chat } = world;
  // Harriet's conversation with the practitioner and the front desk.
  conversationId = await patientConversation(world, a.practitioner, a.patient);
  await chat.startPatientChat(a.frontDesk, { patientId: a.patient.person.id });
});

const practitionerEmail = "practitioner@a.staff.test";
const frontDeskEmail = "frontdesk@a.staff.test";
const harrietEmail = "patient@a.patients.test";
const harrietMobile = "+15550100001";
const delayMs = 120_000;

describe("NOTIF-1 one notification per burst", () => {
  it("NOTIF-1: a burst of 20 patient messages schedules one timer per staff recipient and sends one email each", async () => {
    const { a, email, clock } = world;
    for (let i = 0; i < 20; i++) {
      await say(world, a.patient, conversationId, `message ${i}`);
      clock.advanceSeconds(3);
    }
    const timers = scheduledTimers(world);
    expect(timers.map((t) => t.timer.recipient).sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      [a.frontDesk.person, a.practitioner.person].sort((x, y) => x.id.localeCompare(y.id)),
    );
    // The delay runs from the first message of the burst.
    for (const { runAt, timer } of timers) {
      expect(runAt.getTime()).toBe(Date.parse("2030-01-07T09:00:00.000Z") + delayMs);
      expect(timer.clinicId).toBe(a.clinicId);
    }
    // Nothing is sent before the timers run.
    expect(email.sent).toEqual([]);

    const { failures } = await runTimers(world);
    expect(failures).toEqual([]);
    expect(email.recipients().sort()).toEqual([frontDeskEmail, practitionerEmail].sort());
    // Running the same timers again (a queue redelivering jobs) sends nothing more.
    await runTimers(world);
    expect(email.sent).toHaveLength(2);
  });

  it("NOTIF-1: a message after the burst was sent starts a new burst and a new notification", async () => {
    const { a, email, clock } = world;
    await say(world, a.patient, conversationId, "first");
    await runTimers(world);
    expect(email.sent).toHaveLength(2);
    clock.advanceSeconds(600);
    const timersSoFar = scheduledTimers(world).length;
    await say(world, a.patient, conversationId, "second");
    expect(scheduledTimers(world)).toHaveLength(timersSoFar + 2);
    await runTimers(world, timersSoFar);
    expect(email.sent).toHaveLength(4);
  });

  it("NOTIF-1: messages from two patients to the same practitioner join one notification", async () => {
    const { a, email } = world;
    const elena = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    await say(world, a.patient, conversationId, "from Harriet");
    await say(world, a.patientEmailOnly, elena, "from Elena");
    const toPractitioner = scheduledTimers(world).filter(
      (t) => t.timer.recipient.id === a.practitioner.person.id,
    );
    expect(toPractitioner).toHaveLength(1);
    await runTimers(world);
    expect(email.recipients().filter((to) => to === practitionerEmail)).toHaveLength(1);
  });

  it("NOTIF-1: the delay is the clinic's setting", async () => {
    const { a, chat, clock } = world;
    await chat.changeClinicSettings(a.admin, { notificationDelaySeconds: 600 });
    await say(world, a.patient, conversationId, "hello");
    for (const { runAt } of scheduledTimers(world)) {
      expect(runAt.getTime()).toBe(clock.now().getTime() + 600_000);
    }
  });

  it("NOTIF-1: staff are not notified by email about staff messages (Team Chat or staff in a patient chat)", async () => {
    const { a, chat, email } = world;
    const team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation
      .id;
    await say(world, a.admin, team, "team message");
    await say(world, a.practitioner, conversationId, "staff reply");
    const staffTimers = scheduledTimers(world).filter((t) => t.timer.recipient.kind === "staff");
    expect(staffTimers).toEqual([]);
    await runTimers(world);
    expect(email.recipients()).toEqual([harrietEmail]);
  });
});

describe("NOTIF-2 reading cancels", () => {
  it("NOTIF-2: a recipient who reads before the delay gets no email; the others still do", async () => {
    const { a, chat, email, clock } = world;
    await say(world, a.patient, conversationId, "one");
    await say(world, a.patient, conversationId, "two");
    clock.advanceSeconds(60);
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 2 });
    await runTimers(world);
    expect(email.recipients()).toEqual([frontDeskEmail]);
  });

  it("NOTIF-2: reading only part of the burst does not cancel it", async () => {
    const { a, chat, email } = world;
    await say(world, a.patient, conversationId, "one");
    await say(world, a.patient, conversationId, "two");
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 });
    await runTimers(world);
    expect(email.recipients().sort()).toEqual([frontDeskEmail, practitionerEmail].sort());
  });

  it("NOTIF-2: a patient who reads the staff reply in time gets neither email nor SMS", async () => {
    const { a, chat, email, sms } = world;
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    await say(world, a.practitioner, conversationId, "your results are ready");
    await chat.markRead(a.patient, { conversationId, upToSeq: 1 });
    await runTimers(world);
    expect(email.sent).toEqual([]);
    expect(sms.sent).toEqual([]);
  });
});

describe("NOTIF-3 channels", () => {
  it("NOTIF-3: staff who turned chat emails off get none", async () => {
    const { a, email } = world;
    await updateStaff(world, a.practitioner, { emailNotifications: false });
    await say(world, a.patient, conversationId, "hello");
    await runTimers(world);
    expect(email.recipients()).toEqual([frontDeskEmail]);
  });

  it("NOTIF-3: deactivated staff get nothing", async () => {
    const { a, email } = world;
    await updateStaff(world, a.frontDesk, { active: false });
    await say(world, a.patient, conversationId, "hello");
    await runTimers(world);
    expect(email.recipients()).toEqual([practitionerEmail]);
  });

  it("NOTIF-3: a patient always gets the email; no SMS while the clinic has SMS off", async () => {
    const { a, email, sms } = world;
    await say(world, a.practitioner, conversationId, "reply");
    await runTimers(world);
    expect(email.recipients()).toEqual([harrietEmail]);
    expect(sms.sent).toEqual([]);
  });

  it("NOTIF-3: SMS too when the clinic enabled it and the patient has a mobile number and consent", async () => {
    const { a, chat, email, sms } = world;
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    await say(world, a.practitioner, conversationId, "reply");
    await runTimers(world);
    expect(email.recipients()).toEqual([harrietEmail]);
    expect(sms.recipients()).toEqual([harrietMobile]);
  });

  it("NOTIF-3: no SMS without a mobile number or without consent, even with clinic SMS on", async () => {
    const { a, chat, email, sms } = world;
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    const emailOnly = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    const noConsent = await patientConversation(world, a.practitioner, a.patientNoSmsConsent);
    await say(world, a.practitioner, emailOnly, "reply");
    await say(world, a.practitioner, noConsent, "reply");
    await runTimers(world);
    expect(email.recipients().sort()).toEqual([
      "patientemailonly@a.patients.test",
      "patientnosmsconsent@a.patients.test",
    ]);
    expect(sms.sent).toEqual([]);
  });
});

describe("NOTIF-4 no PHI in notifications", () => {
  it("NOTIF-4: payloads carry the clinic name and the sign-in link, never text, file names or patient names", async () => {
    const { a, chat, email, sms } = world;
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    await say(world, a.patient, conversationId, "MARKER-NOTIF-TEXT my HIV test");
    const { fileId } = await uploadFile(world, a.patient, conversationId, {
      fileName: "MARKER-NOTIF-FILE.pdf",
    });
    await chat.confirmFileUpload(a.patient, { fileId });
    await say(world, a.practitioner, conversationId, "MARKER-NOTIF-REPLY negative");
    const { fileId: replyFile } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "MARKER-NOTIF-REPLYFILE.pdf",
    });
    await chat.confirmFileUpload(a.practitioner, { fileId: replyFile });
    await runTimers(world);

    expect(email.sent).toHaveLength(3);
    expect(sms.sent).toHaveLength(1);
    const everything = [...email.sent, ...sms.sent];
    const deliveries = [...rows(world).deliveries.values()];
    const json = JSON.stringify([everything, deliveries]);
    expect(json).not.toContain("MARKER-NOTIF");
    for (const name of allPatientNames) {
      for (const part of name.split(" ")) expect(json).not.toContain(part);
    }
    for (const { to, payload } of everything) {
      expect(payload.clinicName).toBe("Lakeside Clinic");
      expect(payload.text).toContain(
        "You have a new secure message from Lakeside Clinic. Sign in to read it.",
      );
      const expectedLink = to === harrietEmail || to === harrietMobile ? links.patientPortal : links.staffApp;
      expect(payload.link).toBe(expectedLink);
      expect(payload.text).toContain(expectedLink);
    }
    // The stored world still holds the text (it was not deleted), so the check above is meaningful.
    expect(dumpJson(world)).toContain("MARKER-NOTIF-TEXT");
  });
});

describe("NOTIF-5 delivery at least once, failures retried", () => {
  it("NOTIF-5: a failing email provider fails the job, keeps the delivery pending, and the retry sends once", async () => {
    const { a, chat, email, sms } = world;
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    await say(world, a.practitioner, conversationId, "reply");
    const [timer] = scheduledTimers(world);
    if (!timer) throw new Error("no timer scheduled");
    expect(timer.timer.recipient).toEqual(a.patient.person);
    world.clock.advanceTo(timer.runAt);

    email.failNext(1);
    await expect(chat.handleNotificationTimer(timer.timer)).rejects.toThrow();
    expect(email.sent).toEqual([]);
    expect(sms.recipients()).toEqual([harrietMobile]);
    const pending = [...rows(world).deliveries.values()];
    expect(pending.map((d) => [d.channel, d.deliveredAt === null])).toEqual(
      expect.arrayContaining([
        ["email", true],
        ["sms", false],
      ]),
    );
    expect(pending).toHaveLength(2);

    world.clock.advanceSeconds(30);
    expect(await chat.handleNotificationTimer(timer.timer)).toEqual({ delivered: 1, failed: 0 });
    expect(email.recipients()).toEqual([harrietEmail]);
    expect(sms.recipients()).toEqual([harrietMobile]);
    expect([...rows(world).deliveries.values()].every((d) => d.deliveredAt !== null)).toBe(true);

    // A further redelivery of the job sends nothing.
    expect(await chat.handleNotificationTimer(timer.timer)).toEqual({ delivered: 0, failed: 0 });
    expect(email.sent).toHaveLength(1);
    expect(sms.sent).toHaveLength(1);
  });

  it("NOTIF-5: the provider's failure never blocks sending messages, and the error carries no address", async () => {
    const { a, chat, email } = world;
    await say(world, a.practitioner, conversationId, "reply");
    email.failNext(5);
    const [timer] = scheduledTimers(world);
    if (!timer) throw new Error("no timer scheduled");
    world.clock.advanceTo(timer.runAt);
    const error = await chat.handleNotificationTimer(timer.timer).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message)).not.toContain(harrietEmail);
    await say(world, a.practitioner, conversationId, "sending still works while email is down");
    await say(world, a.patient, conversationId, "and for the patient too");
  });

  it("NOTIF-5: a timer that fires early is rescheduled for the time due and sends then", async () => {
    const { a, chat, email, clock } = world;
    await say(world, a.practitioner, conversationId, "reply");
    const [timer] = scheduledTimers(world);
    if (!timer) throw new Error("no timer scheduled");
    clock.advanceTo(new Date(timer.runAt.getTime() - 30_000));
    expect(await chat.handleNotificationTimer(timer.timer)).toEqual({ delivered: 0, failed: 0 });
    expect(email.sent).toEqual([]);
    const timers = scheduledTimers(world);
    expect(timers).toHaveLength(2);
    expect(timers[1]).toEqual({ timer: timer.timer, runAt: timer.runAt });

    await runTimers(world, 1);
    expect(email.recipients()).toEqual([harrietEmail]);
  });

  it("NOTIF-5: a timer for a recipient deactivated in the meantime sends nothing", async () => {
    const { a, email } = world;
    await say(world, a.patient, conversationId, "hello");
    await updateStaff(world, a.practitioner, { active: false });
    await runTimers(world);
    expect(email.recipients()).toEqual([frontDeskEmail]);
  });
});
