import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadClinic } from "../../src/clinic/loadClinic";
import type {
  NotificationAction,
  NotificationEvent,
  NotificationState,
  PendingMessage,
} from "../../src/notifications/model";
import { notifyRecipients } from "../../src/notifications/notifyRecipients";
import { type Actor, personKey } from "../../src/people/people";
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

/** Every step the coalescing policy took in this test: whose, on which event, with which actions. */
const policySteps = vi.hoisted(
  () => [] as { recipientKey: string; event: NotificationEvent; actions: readonly NotificationAction[] }[],
);
// The policy itself runs unchanged; the record shows what the use cases fed it and what it decided
// (a send's message count reaches no port, so it can only be seen here).
vi.mock("../../src/notifications/coalescing", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/notifications/coalescing")>();
  return {
    ...original,
    nextNotificationStep: (...args: Parameters<typeof original.nextNotificationStep>) => {
      const step = original.nextNotificationStep(...args);
      const [, event, ctx] = args;
      policySteps.push({ recipientKey: personKey(ctx.recipient.person), event, actions: step.actions });
      return step;
    },
  };
});

let world: World;
let conversationId: string;
beforeEach(async () => {
  policySteps.length = 0;
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
  it("NOTIF-4: payloads carry the clinic name and a link to the conversation, never text, file names or patient names; staff read that a patient wrote", async () => {
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
      const toPatient = to === harrietEmail || to === harrietMobile;
      expect(payload.text).toContain(
        toPatient
          ? "You have a new secure message from Lakeside Clinic. Sign in to read it."
          : "A patient sent you a new secure message at Lakeside Clinic. Sign in to read it.",
      );
      // Every burst here is about the one conversation: the link opens it in the reader's app.
      const app = toPatient ? links.patientPortal : links.staffApp;
      expect(payload.link).toBe(`${app}/chat/${conversationId}`);
      expect(payload.text).toContain(payload.link);
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

/** What the in-memory store holds for one recipient: the state and the messages of its burst. */
interface StoredNotifications {
  notificationStates: Map<string, NotificationState>;
  burstMessages: Map<string, Map<string, PendingMessage & { burstId: string }>>;
}

function storedState(who: Actor): NotificationState {
  const dump = world.uow.dump() as StoredNotifications;
  return dump.notificationStates.get(`${who.clinicId}|${personKey(who.person)}`) ?? { status: "idle" };
}

function storedBurst(who: Actor): (PendingMessage & { burstId: string })[] {
  const dump = world.uow.dump() as StoredNotifications;
  return [...(dump.burstMessages.get(`${who.clinicId}|${personKey(who.person)}`)?.values() ?? [])];
}

/** The sends the policy decided on for a recipient, with their message counts. */
function sendsTo(who: Actor): { burstId: string; messageCount: number }[] {
  return policySteps
    .filter((s) => s.recipientKey === personKey(who.person))
    .flatMap((s) => s.actions)
    .flatMap((a) => (a.type === "send" ? [{ burstId: a.burstId, messageCount: a.messageCount }] : []));
}

describe("NOTIF-1, NOTIF-2, DEL-4 the store keeps the burst's messages", () => {
  it("NOTIF-1: a message to a recipient with a pending burst joins it and leaves the stored state as it was", async () => {
    const { a, clock } = world;
    const first = await say(world, a.patient, conversationId, "one");
    const pending = storedState(a.practitioner);
    expect(pending).toMatchObject({ status: "pending" });
    if (pending.status !== "pending") throw new Error("no burst");
    expect(storedBurst(a.practitioner)).toEqual([
      { messageId: first, conversationId, seq: 1, burstId: pending.burstId },
    ]);

    clock.advanceSeconds(30);
    const second = await say(world, a.patient, conversationId, "two");
    expect(storedState(a.practitioner)).toEqual(pending);
    expect(storedBurst(a.practitioner)).toEqual([
      { messageId: first, conversationId, seq: 1, burstId: pending.burstId },
      { messageId: second, conversationId, seq: 2, burstId: pending.burstId },
    ]);
    // Still one timer per recipient, due from the first message.
    const timers = scheduledTimers(world).filter((t) => t.timer.recipient.id === a.practitioner.person.id);
    expect(timers).toEqual([
      { timer: expect.objectContaining({ burstId: pending.burstId }), runAt: pending.dueAt },
    ]);
  });

  it("NOTIF-1: a post event delivered twice is held once, and the notification counts it once", async () => {
    const { a, deps, uow } = world;
    const messageId = await say(world, a.patient, conversationId, "once");
    const [message] = storedBurst(a.practitioner);
    if (!message) throw new Error("no burst");
    await uow.run(a.clinicId, async (stores) => {
      const clinic = await loadClinic(stores, a.clinicId);
      await notifyRecipients(deps, stores, clinic, [a.practitioner.person], {
        type: "message.posted",
        message: { messageId, conversationId, seq: 1 },
      });
    });
    expect(storedBurst(a.practitioner)).toEqual([message]);
    await runTimers(world);
    expect(sendsTo(a.practitioner)).toEqual([{ burstId: message.burstId, messageCount: 1 }]);
  });

  it("NOTIF-2: reading part of the burst keeps it, with the messages still unread", async () => {
    const { a, chat } = world;
    await say(world, a.patient, conversationId, "one");
    const second = await say(world, a.patient, conversationId, "two");
    const pending = storedState(a.practitioner);
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 });
    expect(storedState(a.practitioner)).toEqual(pending);
    expect(storedBurst(a.practitioner).map((m) => m.messageId)).toEqual([second]);
  });

  it("NOTIF-2: reading every message of the burst cancels it: the state is idle and the burst forgotten", async () => {
    const { a, chat, email } = world;
    await say(world, a.patient, conversationId, "one");
    await say(world, a.patient, conversationId, "two");
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 });
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 2 });
    expect(storedState(a.practitioner)).toEqual({ status: "idle" });
    expect(storedBurst(a.practitioner)).toEqual([]);
    // The front desk read nothing: its burst is untouched.
    expect(storedState(a.frontDesk)).toMatchObject({ status: "pending" });
    expect(storedBurst(a.frontDesk)).toHaveLength(2);

    await runTimers(world);
    expect(sendsTo(a.practitioner)).toEqual([]);
    expect(email.recipients()).toEqual([frontDeskEmail]);
  });

  it("DEL-4: deleting every message of the burst cancels it for every recipient: idle, burst forgotten", async () => {
    const { a, chat, email } = world;
    const first = await say(world, a.patient, conversationId, "one");
    const second = await say(world, a.patient, conversationId, "two");
    await chat.deleteMessage(a.patient, { messageId: first });
    for (const who of [a.practitioner, a.frontDesk]) {
      expect(storedState(who)).toMatchObject({ status: "pending" });
      expect(storedBurst(who).map((m) => m.messageId)).toEqual([second]);
    }
    await chat.deleteMessage(a.patient, { messageId: second });
    for (const who of [a.practitioner, a.frontDesk]) {
      expect(storedState(who)).toEqual({ status: "idle" });
      expect(storedBurst(who)).toEqual([]);
    }
    const { failures } = await runTimers(world);
    expect(failures).toEqual([]);
    expect(email.sent).toEqual([]);
  });

  it("NOTIF-1, NOTIF-2, DEL-4: the timer's notification counts the messages still in the burst, and the burst ends", async () => {
    const { a, chat, email } = world;
    const first = await say(world, a.patient, conversationId, "one");
    await say(world, a.patient, conversationId, "two");
    await say(world, a.patient, conversationId, "three");
    await say(world, a.patient, conversationId, "four");
    await chat.deleteMessage(a.patient, { messageId: first });
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 3 });
    const practitionerBurst = storedBurst(a.practitioner);
    const frontDeskBurst = storedBurst(a.frontDesk);
    expect(practitionerBurst.map((m) => m.seq)).toEqual([4]);
    expect(frontDeskBurst.map((m) => m.seq)).toEqual([2, 3, 4]);

    await runTimers(world);
    expect(sendsTo(a.practitioner)).toEqual([{ burstId: practitionerBurst[0]?.burstId, messageCount: 1 }]);
    expect(sendsTo(a.frontDesk)).toEqual([{ burstId: frontDeskBurst[0]?.burstId, messageCount: 3 }]);
    // The timer was told what the store held.
    const timerEvents = policySteps.flatMap((s) => (s.event.type === "timer.fired" ? [s.event] : []));
    expect(timerEvents.map((e) => e.messageCount).sort()).toEqual([1, 3]);
    expect(email.recipients().sort()).toEqual([frontDeskEmail, practitionerEmail].sort());
    for (const who of [a.practitioner, a.frontDesk]) {
      expect(storedState(who)).toEqual({ status: "idle" });
      expect(storedBurst(who)).toEqual([]);
    }

    // The next message starts a fresh burst holding only itself.
    const next = await say(world, a.patient, conversationId, "five");
    expect(storedBurst(a.practitioner).map((m) => m.messageId)).toEqual([next]);
    expect(storedBurst(a.practitioner)[0]?.burstId).not.toBe(practitionerBurst[0]?.burstId);
  });
});
