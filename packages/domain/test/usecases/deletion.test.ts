import { beforeEach, describe, expect, it } from "vitest";
import {
  auditTrail,
  createWorld,
  dumpJson,
  eventLog,
  patientConversation,
  refused,
  runTimers,
  say,
  scheduledTimers,
  sharedMessage,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
let conversationId: string;
beforeEach(async () => {
  world = await createWorld();
  const { a, chat } = world;
  conversationId = await patientConversation(world, a.practitioner, a.patient);
  await chat.startPatientChat(a.frontDesk, { patientId: a.patient.person.id });
  await chat.startPatientChat(a.admin, { patientId: a.patient.person.id });
});

describe("DEL-1 who may delete", () => {
  it("DEL-1: the sender deletes their own message, staff or patient", async () => {
    const { a, chat } = world;
    const byStaff = await say(world, a.practitioner, conversationId, "staff typo");
    const byPatient = await say(world, a.patient, conversationId, "patient typo");
    expect(await chat.deleteMessage(a.practitioner, { messageId: byStaff })).toEqual({ conversationId });
    expect(await chat.deleteMessage(a.patient, { messageId: byPatient })).toEqual({ conversationId });
    const history = await chat.readHistory(a.frontDesk, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.body.kind)).toEqual(["deleted", "deleted"]);
  });

  it("DEL-1: a clinic admin deletes anyone's message in their clinic", async () => {
    const { a, chat } = world;
    const byPatient = await say(world, a.patient, conversationId, "wrong chat, sorry");
    const byStaff = await say(world, a.practitioner, conversationId, "wrong patient");
    await chat.deleteMessage(a.admin, { messageId: byPatient });
    await chat.deleteMessage(a.admin, { messageId: byStaff });
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.body)).toEqual([
      { kind: "deleted", deletedAt: world.clock.now(), deletedBy: a.admin.person },
      { kind: "deleted", deletedAt: world.clock.now(), deletedBy: a.admin.person },
    ]);
  });

  it("DEL-1: other staff and other patients may not delete someone else's message (FORBIDDEN)", async () => {
    const { a, chat } = world;
    const byPatient = await say(world, a.patient, conversationId, "keep me");
    const byDesk = await say(world, a.frontDesk, conversationId, "keep me too");
    await refused(chat.deleteMessage(a.practitioner, { messageId: byPatient }), "FORBIDDEN");
    await refused(chat.deleteMessage(a.practitioner, { messageId: byDesk }), "FORBIDDEN");
    await refused(chat.deleteMessage(a.patient, { messageId: byDesk }), "FORBIDDEN");
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.body)).toEqual([
      { kind: "text", text: "keep me too" },
      { kind: "text", text: "keep me" },
    ]);
  });

  it("DEL-1: a clinic-B admin cannot delete a clinic-A message (NOT_FOUND)", async () => {
    const { a, b, chat } = world;
    const messageId = await say(world, a.patient, conversationId, "A's");
    await refused(chat.deleteMessage(b.admin, { messageId }), "NOT_FOUND");
  });

  it("DEL-1: a message is deleted once; deleting it again is ALREADY_DELETED", async () => {
    const { a, chat } = world;
    const messageId = await say(world, a.patient, conversationId, "once");
    await chat.deleteMessage(a.patient, { messageId });
    await refused(chat.deleteMessage(a.patient, { messageId }), "ALREADY_DELETED");
    await refused(chat.deleteMessage(a.admin, { messageId }), "ALREADY_DELETED");
    const deletions = (await eventLog(world, a.clinicId)).filter((e) => e.type === "message.deleted");
    expect(deletions).toHaveLength(1);
  });
});

describe("DEL-2/DEL-3 permanent deletion with a content-free record", () => {
  it("DEL-2: a deleted text is gone from storage; history shows who deleted it and when", async () => {
    const { a, chat, clock } = world;
    const messageId = await say(world, a.patient, conversationId, "MARKER-DEL-TEXT I think I have shingles");
    await say(world, a.practitioner, conversationId, "Let me look");
    expect(dumpJson(world)).toContain("MARKER-DEL-TEXT");
    clock.advanceSeconds(90);
    await chat.deleteMessage(a.patient, { messageId });

    expect(dumpJson(world)).not.toContain("MARKER-DEL-TEXT");
    expect(dumpJson(world)).not.toContain("shingles");
    const history = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    const deleted = history.messages.find((m) => m.id === messageId);
    expect(deleted).toMatchObject({
      id: messageId,
      seq: 1,
      sender: a.patient.person,
      body: { kind: "deleted", deletedAt: clock.now(), deletedBy: a.patient.person },
    });
    expect(history.messages.find((m) => m.id !== messageId)?.body).toEqual({
      kind: "text",
      text: "Let me look",
    });
  });

  it("DEL-2: a deleted file's name, record and stored object are gone", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await uploadFile(world, a.patient, conversationId, {
      fileName: "MARKER-DEL-FILE biopsy.pdf",
    });
    const message = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
    await chat.downloadFile(a.practitioner, { fileId });
    expect(dumpJson(world)).toContain("MARKER-DEL-FILE");

    await chat.deleteMessage(a.admin, { messageId: message.id });

    expect(dumpJson(world)).not.toContain("MARKER-DEL-FILE");
    expect(dumpJson(world)).not.toContain(storageKey);
    expect(blobs.objects.has(storageKey)).toBe(false);
    expect(blobs.removed).toContain(storageKey);
    await refused(chat.downloadFile(a.practitioner, { fileId }), "NOT_FOUND");
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages).toEqual([
      expect.objectContaining({
        id: message.id,
        body: { kind: "deleted", deletedAt: world.clock.now(), deletedBy: a.admin.person },
      }),
    ]);
  });

  it("DEL-2: when the stored object cannot be removed the deletion fails as a whole and can be retried", async () => {
    const { a, chat, blobs } = world;
    const { fileId, storageKey } = await uploadFile(world, a.patient, conversationId, {
      fileName: "scan.pdf",
    });
    const message = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
    blobs.outage.remove = 1;
    await expect(chat.deleteMessage(a.patient, { messageId: message.id })).rejects.toThrow(
      "storage unavailable",
    );
    // Nothing looks deleted while the bytes remain.
    const history = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    expect(history.messages[0]?.body).toMatchObject({ kind: "file", file: { id: fileId } });
    expect(blobs.objects.has(storageKey)).toBe(true);
    expect((await eventLog(world, a.clinicId)).filter((e) => e.type === "message.deleted")).toEqual([]);

    await chat.deleteMessage(a.patient, { messageId: message.id });
    expect(blobs.objects.has(storageKey)).toBe(false);
    const after = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    expect(after.messages[0]?.body.kind).toBe("deleted");
  });

  it("DEL-3: the deletion leaves a message.deleted event and an audit record, both content-free", async () => {
    const { a, chat } = world;
    const messageId = await say(world, a.patient, conversationId, "MARKER-DEL-AUDIT");
    await chat.deleteMessage(a.admin, { messageId });
    const events = await eventLog(world, a.clinicId);
    expect(events.filter((e) => e.type === "message.deleted")).toEqual([
      expect.objectContaining({ conversationId, messageId, person: a.admin.person, seq: 1 }),
    ]);
    const trail = await auditTrail(world, a.clinicId);
    expect(trail.filter((e) => e.action === "message.delete")).toEqual([
      expect.objectContaining({
        conversationId,
        messageId,
        actor: a.admin.person,
        outcome: "success",
        at: world.clock.now(),
      }),
    ]);
    expect(JSON.stringify([events, trail])).not.toContain("MARKER-DEL-AUDIT");
  });
});

describe("DEL-4 deletion and pending notifications", () => {
  it("DEL-4: deleting the only unread message before the delay means no email when the timer fires", async () => {
    const { a, chat, email, clock } = world;
    const messageId = await say(world, a.patient, conversationId, "never mind");
    expect(scheduledTimers(world).length).toBeGreaterThan(0);
    clock.advanceSeconds(30);
    await chat.deleteMessage(a.patient, { messageId });
    const { failures } = await runTimers(world);
    expect(failures).toEqual([]);
    expect(email.sent).toEqual([]);
  });

  it("DEL-4: a staff message deleted before the delay sends the patient nothing", async () => {
    const { a, chat, email, sms } = world;
    await chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true });
    const messageId = await say(world, a.practitioner, conversationId, "sent to the wrong patient");
    await chat.deleteMessage(a.practitioner, { messageId });
    await runTimers(world);
    expect(email.sent).toEqual([]);
    expect(sms.sent).toEqual([]);
  });

  it("DEL-4: when other unread messages remain in the burst, the notification still goes out", async () => {
    const { a, chat, email } = world;
    const first = await say(world, a.patient, conversationId, "first");
    await say(world, a.patient, conversationId, "second");
    await chat.deleteMessage(a.patient, { messageId: first });
    await runTimers(world);
    expect(email.recipients().sort()).toEqual(
      ["admin@a.staff.test", "frontdesk@a.staff.test", "practitioner@a.staff.test"].sort(),
    );
  });
});
