import { beforeEach, describe, expect, it } from "vitest";
import { defaultSettings } from "../../src/clinic/Clinic";
import {
  clientId,
  createWorld,
  eventLog,
  patientConversation,
  refused,
  say,
  sharedMessage,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

async function clinic(clinicId: string) {
  const found = await world.uow.run(clinicId, (s) => s.clinics.get(clinicId));
  if (!found) throw new Error("no clinic");
  return found;
}

describe("ENT-1/ENT-2 changing clinic settings", () => {
  it("ENT-1: only an active admin changes clinic settings or the plan", async () => {
    const { a, chat } = world;
    for (const who of [a.practitioner, a.frontDesk, a.unavailablePractitioner, a.patient]) {
      await refused(chat.changeClinicSettings(who, { smsNotificationsEnabled: true }), "FORBIDDEN");
      await refused(chat.changeClinicPlan(who, { plan: "starter" }), "FORBIDDEN");
    }
    expect((await clinic(a.clinicId)).settings.smsNotificationsEnabled).toBe(false);
    expect((await clinic(a.clinicId)).plan).toBe("premium");

    const changed = await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    expect(changed.settings.smsNotificationsEnabled).toBe(true);
    expect((await clinic(a.clinicId)).settings).toEqual({
      ...defaultSettings("premium"),
      patientChatEnabled: true,
      smsNotificationsEnabled: true,
    });
  });

  it("ENT-1: a clinic-B admin cannot change clinic A", async () => {
    const { a, b, chat } = world;
    await refused(
      chat.changeClinicSettings({ ...b.admin, clinicId: a.clinicId }, { patientChatEnabled: false }),
      "NOT_FOUND",
    );
    expect((await clinic(a.clinicId)).settings.patientChatEnabled).toBe(true);
  });

  it("ENT-2: turning Team Chat on for an Enhanced clinic is PLAN_REQUIRED naming Premium", async () => {
    const { b, chat } = world;
    const error = await refused(
      chat.changeClinicSettings(b.admin, { teamChatEnabled: true }),
      "PLAN_REQUIRED",
    );
    expect(error.details).toMatchObject({ plan: "premium" });
    expect((await clinic(b.clinicId)).settings.teamChatEnabled).toBe(false);
    // Nothing of a refused change is applied, even the parts that were allowed.
    await refused(
      chat.changeClinicSettings(b.admin, { smsNotificationsEnabled: true, teamChatEnabled: true }),
      "PLAN_REQUIRED",
    );
    expect((await clinic(b.clinicId)).settings.smsNotificationsEnabled).toBe(false);
  });

  it("ENT-2: out-of-range numbers are INVALID_INPUT; turning things off is always allowed", async () => {
    const { a, b, chat } = world;
    await refused(chat.changeClinicSettings(a.admin, { notificationDelaySeconds: -1 }), "INVALID_INPUT");
    await refused(chat.changeClinicSettings(a.admin, { idleTimeoutMinutes: 60 }), "INVALID_INPUT");
    await chat.changeClinicSettings(b.admin, { patientMessagingEnabled: false, teamChatEnabled: false });
    expect((await clinic(b.clinicId)).settings.patientMessagingEnabled).toBe(false);
  });
});

describe("ENT-3 downgrades keep everything, read-only where the capability is lost", () => {
  it("ENT-3: Premium to Enhanced keeps team conversations readable, composer disabled with PLAN_REQUIRED", async () => {
    const { a, chat } = world;
    const team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation
      .id;
    const messageId = await say(world, a.practitioner, team, "handover at 5");

    await chat.changeClinicPlan(a.admin, { plan: "enhanced" });

    const list = await chat.listConversations(a.practitioner, { limit: 10 });
    expect(list.items.map((i) => i.conversation.id)).toEqual([team]);
    const history = await chat.readHistory(a.admin, { conversationId: team, limit: 10 });
    expect(history.messages.map((m) => [m.id, m.body])).toEqual([
      [messageId, { kind: "text", text: "handover at 5" }],
    ]);
    const details = await chat.openConversation(a.admin, { conversationId: team });
    expect(details.composer.text).toEqual({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
    expect(details.composer.file).toMatchObject({ allowed: false, reason: "PLAN_REQUIRED" });

    const error = await refused(
      chat.sendMessage(a.admin, { conversationId: team, clientId: clientId(), text: "still there?" }),
      "PLAN_REQUIRED",
    );
    expect(error.details).toEqual({ plan: "premium" });
    await refused(
      chat.requestFileUpload(a.admin, {
        conversationId: team,
        clientId: clientId(),
        fileName: "rota.pdf",
        sizeBytes: 100,
        contentType: "application/pdf",
      }),
      "PLAN_REQUIRED",
    );
    await refused(chat.startTeamChat(a.admin, { staffIds: [a.frontDesk.person.id] }), "PLAN_REQUIRED");
    await refused(
      chat.addParticipant(a.admin, { conversationId: team, staffId: a.frontDesk.person.id }),
      "PLAN_REQUIRED",
    );
    // The setting itself stays on: it grants nothing until the plan includes it again.
    expect((await clinic(a.clinicId)).settings.teamChatEnabled).toBe(true);
    // Deleting stays possible (it removes PHI, it does not send any).
    await chat.deleteMessage(a.practitioner, { messageId });
  });

  it("ENT-3: Enhanced to Starter keeps patient history readable; text disabled, files still allowed", async () => {
    const { b, chat } = world;
    const conversationId = await patientConversation(world, b.practitioner, b.patient);
    await say(world, b.patient, conversationId, "question");
    await chat.changeClinicPlan(b.admin, { plan: "starter" });

    const history = await chat.readHistory(b.patient, { conversationId, limit: 10 });
    expect(history.messages).toHaveLength(1);
    const details = await chat.openConversation(b.patient, { conversationId });
    expect(details.composer.text).toEqual({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "enhanced" },
    });
    expect(details.composer.file).toEqual({ allowed: true });
    await refused(
      chat.sendMessage(b.practitioner, { conversationId, clientId: clientId(), text: "answer" }),
      "PLAN_REQUIRED",
    );
    await refused(
      chat.sendMessage(b.patient, { conversationId, clientId: clientId(), text: "hello?" }),
      "PLAN_REQUIRED",
    );
    const { fileId } = await uploadFile(world, b.practitioner, conversationId, { fileName: "answer.pdf" });
    const file = sharedMessage(await chat.confirmFileUpload(b.practitioner, { fileId }));
    expect(file.body.kind).toBe("file");
    // Starting a chat with another patient is still possible: files can be shared.
    await patientConversation(world, b.practitioner, b.patientEmailOnly);
  });

  it("ENT-3/ENT-4: upgrading again re-enables sending at once", async () => {
    const { a, chat } = world;
    const team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation
      .id;
    await chat.changeClinicPlan(a.admin, { plan: "starter" });
    await refused(
      chat.sendMessage(a.admin, { conversationId: team, clientId: clientId(), text: "x" }),
      "PLAN_REQUIRED",
    );
    await chat.changeClinicPlan(a.admin, { plan: "premium" });
    await say(world, a.admin, team, "back");
  });
});

describe("ENT-4 changes take effect at once", () => {
  it("ENT-4: the very next call sees a settings change, and a clinic.entitlements_changed event is written", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "before");

    const before = (await eventLog(world, a.clinicId)).length;
    await chat.changeClinicSettings(a.admin, { patientMessagingEnabled: false });
    const events = (await eventLog(world, a.clinicId)).slice(before);
    expect(events).toEqual([
      expect.objectContaining({
        type: "clinic.entitlements_changed",
        conversationId: null,
        messageId: null,
        person: a.admin.person,
        clinicId: a.clinicId,
      }),
    ]);
    const error = await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "after" }),
      "SETTING_OFF",
    );
    expect(error.details).toEqual({ capability: "patientMessaging" });

    await chat.changeClinicSettings(a.admin, { patientMessagingEnabled: true });
    await say(world, a.practitioner, conversationId, "works again");
  });

  it("ENT-4: a plan change writes clinic.entitlements_changed and is seen by the next call", async () => {
    const { a, chat } = world;
    const team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation
      .id;
    const detailsBefore = await chat.openConversation(a.practitioner, { conversationId: team });
    expect(detailsBefore.composer.text).toEqual({ allowed: true });
    const before = (await eventLog(world, a.clinicId)).length;
    await chat.changeClinicPlan(a.admin, { plan: "enhanced" });
    expect((await eventLog(world, a.clinicId)).slice(before).map((e) => e.type)).toEqual([
      "clinic.entitlements_changed",
    ]);
    const detailsAfter = await chat.openConversation(a.practitioner, { conversationId: team });
    expect(detailsAfter.composer.text).toMatchObject({ allowed: false, reason: "PLAN_REQUIRED" });
  });

  it("ENT-1/ENT-4: with patient chat switched off nothing can be sent to patient conversations", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const pending = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "before-switch.pdf",
    });
    const team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation
      .id;
    await chat.changeClinicSettings(a.admin, { patientChatEnabled: false });

    for (const who of [a.practitioner, a.patient]) {
      await refused(
        chat.sendMessage(who, { conversationId, clientId: clientId(), text: "hello" }),
        "PATIENT_CHAT_OFF",
      );
      await refused(
        chat.requestFileUpload(who, {
          conversationId,
          clientId: clientId(),
          fileName: "x.pdf",
          sizeBytes: 100,
          contentType: "application/pdf",
        }),
        "PATIENT_CHAT_OFF",
      );
    }
    await refused(chat.confirmFileUpload(a.practitioner, { fileId: pending.fileId }), "PATIENT_CHAT_OFF");
    await refused(chat.startPatientChat(a.frontDesk, { patientId: a.patient.person.id }), "PATIENT_CHAT_OFF");
    await refused(
      chat.startPatientChat(a.practitioner, { patientId: a.patientEmailOnly.person.id }),
      "PATIENT_CHAT_OFF",
    );
    await refused(chat.availablePractitioners(a.patient), "PATIENT_CHAT_OFF");
    await refused(
      chat.patientStartChat(a.patient, { practitionerId: a.practitioner.person.id }),
      "PATIENT_CHAT_OFF",
    );
    const details = await chat.openConversation(a.practitioner, { conversationId });
    expect(details.composer).toEqual({
      text: { allowed: false, reason: "PATIENT_CHAT_OFF" },
      file: { allowed: false, reason: "PATIENT_CHAT_OFF" },
    });
    const history = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    expect(history.messages).toEqual([]);
    // Team Chat does not depend on the patient switch.
    await say(world, a.practitioner, team, "team chat still works");

    await chat.changeClinicSettings(a.admin, { patientChatEnabled: true });
    await say(world, a.practitioner, conversationId, "back on");
  });
});

describe("patient chat switched off", () => {
  it("ENT-3: while patient chat is off, patients still read their conversations and files, read-only; they start none; staff keep their history readable", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "before the switch");
    const { fileId } = await uploadFile(world, a.practitioner, conversationId, { fileName: "results.pdf" });
    await chat.confirmFileUpload(a.practitioner, { fileId });
    await chat.changeClinicSettings(a.admin, { patientChatEnabled: false });

    const list = await chat.listConversations(a.patient, { limit: 10 });
    expect(list.items.map((i) => i.conversation.id)).toEqual([conversationId]);
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.body.kind)).toEqual(["file", "text"]);
    const download = await chat.downloadFile(a.patient, { fileId });
    expect(download.url).toBeTruthy();
    const opened = await chat.openConversation(a.patient, { conversationId });
    expect(opened.composer).toEqual({
      text: { allowed: false, reason: "PATIENT_CHAT_OFF" },
      file: { allowed: false, reason: "PATIENT_CHAT_OFF" },
    });
    await refused(
      chat.sendMessage(a.patient, { conversationId, clientId: clientId(), text: "hello?" }),
      "PATIENT_CHAT_OFF",
    );
    await refused(chat.availablePractitioners(a.patient), "PATIENT_CHAT_OFF");
    expect((await chat.portalChatView(a.patient)).chatAvailable).toBe(false);

    const staffView = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    expect(staffView.messages).toHaveLength(2);
    const details = await chat.openConversation(a.practitioner, { conversationId });
    expect(details.composer.text).toMatchObject({ allowed: false, reason: "PATIENT_CHAT_OFF" });

    await chat.changeClinicSettings(a.admin, { patientChatEnabled: true });
    expect((await chat.listConversations(a.patient, { limit: 10 })).items).toHaveLength(1);
  });
});
