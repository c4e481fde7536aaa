import { beforeEach, describe, expect, it } from "vitest";
import type { ScheduledDue } from "../../src/scheduled/index";
import {
  allPatientNames,
  auditTrail,
  clientId,
  createWorld,
  eventLog,
  patientConversation,
  refused,
  runTimers,
  scheduledTimers,
  updatePatient,
  updateStaff,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

// The scenario starts on Monday 7 January 2030 at 9:00 in the clinic's zone (UTC).
const tomorrowNine = { date: "2030-01-08", minute: 9 * 60 };

/** What the worker queue holds: each due entry, as the pg-boss worker would run it at its time. */
function dueEntries(): readonly ScheduledDue[] {
  return world.uow.scheduledDue();
}

/** Moves the clock to each entry's time and runs it, as workers do. */
async function runDue(): Promise<string[]> {
  const outcomes: string[] = [];
  for (const due of dueEntries()) {
    world.clock.advanceTo(due.sendAt);
    outcomes.push(await world.chat.sendScheduledMessage(due));
  }
  return outcomes;
}

async function history(conversationId: string) {
  // Read from storage: the readers of some scenarios can no longer read (ELIG-6).
  const messages = await world.uow.run(world.a.clinicId, (s) =>
    s.messages.history(conversationId, { limit: 50 }),
  );
  return messages.map((m) => (m.body.kind === "text" ? m.body.text : m.body.kind));
}

describe("SCHED-1 scheduled messages", () => {
  it("SCHED-1: a scheduled message shows to staff only, goes at its time through the posting pipeline, once", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.frontDesk, a.patient);
    await chat.addParticipant(a.frontDesk, { conversationId, staffId: a.practitioner.person.id });
    const id = clientId();
    const scheduled = await chat.scheduleMessage(a.frontDesk, {
      conversationId,
      clientId: id,
      text: " Your flu shot is due. ",
      when: tomorrowNine,
    });
    expect(scheduled).toMatchObject({
      text: "Your flu shot is due.",
      sendAt: new Date("2030-01-08T09:00:00Z"),
      local: { date: "2030-01-08", minute: 540, timeZone: "UTC" },
      status: "pending",
      mine: true,
    });
    // MSG-1: a retried request answers the one scheduled before.
    const again = await chat.scheduleMessage(a.frontDesk, {
      conversationId,
      clientId: id,
      text: "x",
      when: tomorrowNine,
    });
    expect(again.id).toBe(scheduled.id);
    expect(dueEntries()).toHaveLength(1);

    // Staff in the conversation see it (only its author may change it); the patient never does.
    expect((await chat.listScheduledMessages(a.practitioner, { conversationId })).map((s) => s.mine)).toEqual(
      [false],
    );
    await refused(chat.listScheduledMessages(a.patient, { conversationId }), "FORBIDDEN");
    // SEC-3: reading them is audited, by ids, and so is a refusal.
    const lists = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "message.schedule_list");
    expect(lists.map((e) => [e.actor?.id, e.conversationId, e.outcome])).toEqual([
      [a.practitioner.person.id, conversationId, "success"],
      [a.patient.person.id, conversationId, "denied"],
    ]);
    await refused(chat.cancelScheduledMessage(a.practitioner, { scheduledId: scheduled.id }), "NOT_FOUND");
    expect(await history(conversationId)).toEqual([]);

    // Not yet due: an early attempt leaves it.
    expect(await chat.sendScheduledMessage(dueEntries()[0]!)).toBe("not_due");
    expect(await runDue()).toEqual(["sent"]);
    expect(await history(conversationId)).toEqual(["Your flu shot is due."]);
    const page = await chat.readHistory(a.patient, { conversationId, limit: 5 });
    expect(page.messages[0]).toMatchObject({ clientId: id, sender: a.frontDesk.person });
    // Every later attempt (a second worker, a retry) finds it gone: one message, one event.
    expect(await chat.sendScheduledMessage(dueEntries()[0]!)).toBe("settled");
    expect(await history(conversationId)).toHaveLength(1);
    expect((await eventLog(world, a.clinicId)).filter((e) => e.type === "message.posted")).toHaveLength(1);
    expect(await chat.listScheduledMessages(a.frontDesk, { conversationId })).toEqual([]);
    // SEC-3: an empty list reads no content and leaves no record.
    expect(
      (await auditTrail(world, a.clinicId)).filter((e) => e.action === "message.schedule_list"),
    ).toHaveLength(2);

    // NOTIF-1, NOTIF-4: the patient is notified as for any message, PHI-free.
    expect(scheduledTimers(world).some((t) => t.timer.recipient.id === a.patient.person.id)).toBe(true);
    await runTimers(world);
    expect(world.email.recipients()).toContain("patient@a.patients.test");
    expect(JSON.stringify(world.email.sent)).not.toContain("flu shot");
    // SEC-3: the send is audited as the author's, by ids.
    const sends = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "message.send");
    expect(sends).toEqual([
      expect.objectContaining({
        outcome: "success",
        actor: a.frontDesk.person,
        conversationId,
        messageId: page.messages[0]?.id,
      }),
    ]);
    expect(JSON.stringify(await auditTrail(world, a.clinicId))).not.toContain("flu shot");
  });

  it("SCHED-1: editable and cancellable by its author until it goes; an edit to another time moves it", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.frontDesk, a.patient);
    const first = await chat.scheduleMessage(a.frontDesk, {
      conversationId,
      clientId: clientId(),
      text: "one",
      when: tomorrowNine,
    });
    const second = await chat.scheduleMessage(a.frontDesk, {
      conversationId,
      clientId: clientId(),
      text: "two",
      when: tomorrowNine,
    });
    const edited = await chat.editScheduledMessage(a.frontDesk, {
      scheduledId: first.id,
      text: "one, edited",
      when: { date: "2030-01-09", minute: 14 * 60 },
    });
    expect(edited.sendAt).toEqual(new Date("2030-01-09T14:00:00Z"));
    await chat.cancelScheduledMessage(a.frontDesk, { scheduledId: second.id });
    await refused(chat.cancelScheduledMessage(a.frontDesk, { scheduledId: second.id }), "CONFLICT");
    await refused(
      chat.editScheduledMessage(a.frontDesk, {
        scheduledId: first.id,
        text: "x",
        when: { date: "2030-01-07", minute: 0 },
      }),
      "INVALID_INPUT",
    );
    expect((await chat.listScheduledMessages(a.frontDesk, { conversationId })).map((s) => s.text)).toEqual([
      "one, edited",
    ]);

    expect(await runDue()).toEqual(["moved", "settled", "sent"]);
    expect(await history(conversationId)).toEqual(["one, edited"]);
    await refused(chat.cancelScheduledMessage(a.frontDesk, { scheduledId: first.id }), "CONFLICT");
    const actions = (await auditTrail(world, a.clinicId)).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "message.schedule_edit:success",
        "message.schedule_cancel:success",
        "message.schedule_cancel:denied",
      ]),
    );
  });

  it("SCHED-1, ENT-1, ELIG-1: nothing is scheduled into a conversation that refuses text now", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.frontDesk, a.patient);
    await updatePatient(world, a.patient, { portalAccount: "disabled" });
    await refused(
      chat.scheduleMessage(a.frontDesk, {
        conversationId,
        clientId: clientId(),
        text: "hi",
        when: tomorrowNine,
      }),
      "PATIENT_PORTAL_INACTIVE",
    );
    await refused(
      chat.scheduleMessage(a.frontDesk, {
        conversationId,
        clientId: clientId(),
        text: " ",
        when: tomorrowNine,
      }),
      "MESSAGE_EMPTY",
    );
    expect(dueEntries()).toEqual([]);
  });

  const refusals = [
    [
      "the patient's portal disabled (ELIG-1)",
      "PATIENT_PORTAL_INACTIVE",
      (w: World) => updatePatient(w, w.a.patient, { portalAccount: "disabled" }),
    ],
    [
      "the plan changed (ENT-1, ENT-3)",
      "PLAN_REQUIRED",
      (w: World) => w.chat.changeClinicPlan(w.a.admin, { plan: "starter" }),
    ],
    [
      "the patient chat switch off (ENT-1)",
      "PATIENT_CHAT_OFF",
      (w: World) => w.chat.changeClinicSettings(w.a.admin, { patientChatEnabled: false }),
    ],
    [
      "the author deactivated (ELIG-6)",
      "STAFF_INACTIVE",
      (w: World) => updateStaff(w, w.a.frontDesk, { active: false }),
    ],
  ] as const;
  for (const [label, code, change] of refusals) {
    it(`SCHED-1: every rule is checked when it goes: refused with ${label}, shown to the author and emailed PHI-free`, async () => {
      const { a, chat } = world;
      const conversationId = await patientConversation(world, a.frontDesk, a.patient);
      const scheduled = await chat.scheduleMessage(a.frontDesk, {
        conversationId,
        clientId: clientId(),
        text: "Harriet, your MARKER results are in.",
        when: tomorrowNine,
      });
      await change(world);
      expect(await runDue()).toEqual(["refused"]);
      expect(await history(conversationId)).toEqual([]);

      const trail = await auditTrail(world, a.clinicId);
      expect(trail.filter((e) => e.action === "message.send")).toEqual([
        expect.objectContaining({
          outcome: "denied",
          reason: code,
          actor: a.frontDesk.person,
          conversationId,
        }),
      ]);
      if (code !== "STAFF_INACTIVE") {
        // Shown in the conversation to its author, with the reason; not to other staff.
        expect(await chat.listScheduledMessages(a.frontDesk, { conversationId })).toEqual([
          expect.objectContaining({ id: scheduled.id, status: "refused", refusal: code }),
        ]);
      }
      const emails = world.email.sent.filter((s) => s.to === "frontdesk@a.staff.test");
      if (code === "STAFF_INACTIVE") {
        // A deactivated author can no longer sign in to read it: nobody is emailed.
        expect(emails).toEqual([]);
      } else {
        expect(emails).toHaveLength(1);
        expect(emails[0]?.payload.subject).toBe("A scheduled message was not sent at Lakeside Clinic");
        expect(emails[0]?.payload.link).toBe(`${world.deps.links.staffApp}/chat/${conversationId}`);
        const sent = JSON.stringify(emails);
        expect(sent).not.toContain("MARKER");
        for (const name of allPatientNames) expect(sent).not.toContain(name.split(" ")[0]!);
      }
      // Tried again (another worker), it stays refused and nobody is emailed twice.
      expect(await chat.sendScheduledMessage(dueEntries()[0]!)).toBe("settled");
      expect(world.email.sent.filter((s) => s.to === "frontdesk@a.staff.test").length).toBe(emails.length);
    });
  }

  it("SCHED-1: a failed refusal email is sent by the next attempt, once", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.frontDesk, a.patient);
    await chat.scheduleMessage(a.frontDesk, {
      conversationId,
      clientId: clientId(),
      text: "hi",
      when: tomorrowNine,
    });
    await updatePatient(world, a.patient, { portalAccount: "disabled" });
    world.email.failNext(1);
    const due = dueEntries()[0]!;
    world.clock.advanceTo(due.sendAt);
    await expect(chat.sendScheduledMessage(due)).rejects.toThrow("provider unavailable");
    expect(await chat.sendScheduledMessage(due)).toBe("settled");
    expect(world.email.recipients()).toEqual(["frontdesk@a.staff.test"]);
    expect(await chat.sendScheduledMessage(due)).toBe("settled");
    expect(world.email.recipients()).toEqual(["frontdesk@a.staff.test"]);
  });
});
