import { beforeEach, describe, expect, it } from "vitest";
import {
  auditTrail,
  clientId,
  createWorld,
  dumpWithoutAudit,
  eventLog,
  patientConversation,
  refused,
  rows,
  say,
  sharedMessage,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

describe("MSG-1 message text and idempotent sends", () => {
  it("MSG-1: text is stored trimmed", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const sent = await chat.sendMessage(a.practitioner, {
      conversationId,
      clientId: clientId(),
      text: "  \n Your results are in.\t ",
    });
    expect(sent.body).toEqual({ kind: "text", text: "Your results are in." });
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages[0]?.body).toEqual({ kind: "text", text: "Your results are in." });
  });

  it("MSG-1: 1 to 4,000 characters after trimming, counted as characters", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "x");
    await say(world, a.practitioner, conversationId, `  ${"y".repeat(4000)}  `);
    // 4,000 emoji are 8,000 UTF-16 units but 4,000 characters.
    await say(world, a.practitioner, conversationId, "🩺".repeat(4000));
    const error = await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "z".repeat(4001) }),
      "MESSAGE_TOO_LONG",
    );
    expect(error.details).toEqual({ max: 4000 });
  });

  for (const [label, text, code] of [
    ["empty", "", "MESSAGE_EMPTY"],
    ["white space only", " \n\t  ", "MESSAGE_EMPTY"],
    ["too long", "MARKER-LONG ".repeat(400), "MESSAGE_TOO_LONG"],
  ] as const) {
    it(`MSG-1: ${label} text is refused and nothing but the denied audit record is written`, async () => {
      const { a, chat } = world;
      const conversationId = await patientConversation(world, a.practitioner, a.patient);
      await say(world, a.patient, conversationId, "an earlier message");
      const before = dumpWithoutAudit(world);
      const auditBefore = await auditTrail(world, a.clinicId);

      await refused(chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text }), code);

      expect(dumpWithoutAudit(world)).toBe(before);
      const auditAfter = await auditTrail(world, a.clinicId);
      expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
      expect(auditAfter.slice(auditBefore.length)).toEqual([
        expect.objectContaining({
          action: "message.send",
          outcome: "denied",
          reason: code,
          conversationId,
          actor: a.practitioner.person,
        }),
      ]);
      expect(JSON.stringify(auditAfter)).not.toContain("MARKER-LONG");
    });
  }

  it("MSG-1: a retried send with the same client id returns the same message; one message, one event", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const input = { conversationId, clientId: "retry-me", text: "Take one tablet daily" };
    const first = await chat.sendMessage(a.patient, input);
    const timersAfterFirst = world.uow.scheduledTimers().length;
    const second = await chat.sendMessage(a.patient, input);
    // Even a retry whose text changed (a client bug) does not create a second message.
    const third = await chat.sendMessage(a.patient, { ...input, text: "something else" });
    expect(second.id).toBe(first.id);
    expect(third.id).toBe(first.id);
    expect(second).toEqual(first);

    const history = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.id)).toEqual([first.id]);
    expect(history.messages[0]?.body).toEqual({ kind: "text", text: "Take one tablet daily" });
    const posted = (await eventLog(world, a.clinicId)).filter((e) => e.type === "message.posted");
    expect(posted.map((e) => e.messageId)).toEqual([first.id]);
    expect(world.uow.scheduledTimers()).toHaveLength(timersAfterFirst);
    const unread = await chat.listConversations(a.practitioner, { limit: 10 });
    expect(unread.totalUnread).toBe(1);
  });

  it("MSG-1: a client id is the sender's own: another sender reusing it sends a new message", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const fromPatient = await chat.sendMessage(a.patient, { conversationId, clientId: "same", text: "hi" });
    const fromStaff = await chat.sendMessage(a.practitioner, {
      conversationId,
      clientId: "same",
      text: "hello",
    });
    expect(fromStaff.id).not.toBe(fromPatient.id);
    expect(fromStaff.seq).toBe(2);
  });

  it("MSG-1: sequence numbers count from 1 without gaps, refused sends leave none", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "one");
    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "  " }),
      "MESSAGE_EMPTY",
    );
    await say(world, a.patient, conversationId, "two");
    await say(world, a.practitioner, conversationId, "three");
    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.seq)).toEqual([3, 2, 1]);
    expect(history.nextBeforeSeq).toBeNull();
    const older = await chat.readHistory(a.patient, { conversationId, limit: 2 });
    expect(older.messages.map((m) => m.seq)).toEqual([3, 2]);
    expect(older.nextBeforeSeq).toBe(2);
    const rest = await chat.readHistory(a.patient, {
      conversationId,
      limit: 2,
      beforeSeq: older.nextBeforeSeq,
    });
    expect(rest.messages.map((m) => m.seq)).toEqual([1]);
    expect(rest.nextBeforeSeq).toBeNull();
  });
});

describe("MSG-3 unread counts and read markers", () => {
  it("MSG-3: unread counts per conversation and in total; own messages never count", async () => {
    const { a, chat } = world;
    const harriet = await patientConversation(world, a.practitioner, a.patient);
    const elena = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    await say(world, a.patient, harriet, "h1");
    await say(world, a.patient, harriet, "h2");
    await say(world, a.practitioner, harriet, "my own reply");
    world.clock.advanceSeconds(60);
    await say(world, a.patientEmailOnly, elena, "e1");
    world.clock.advanceSeconds(60);
    await say(world, a.patient, harriet, "h3");

    const list = await chat.listConversations(a.practitioner, { limit: 10 });
    const unread = Object.fromEntries(list.items.map((i) => [i.conversation.id, i.unreadCount]));
    expect(unread).toEqual({ [harriet]: 3, [elena]: 1 });
    expect(list.totalUnread).toBe(4);
    // Most recently active first.
    expect(list.items.map((i) => i.conversation.id)).toEqual([harriet, elena]);

    const patientView = await chat.listConversations(a.patient, { limit: 10 });
    expect(patientView.items.map((i) => i.unreadCount)).toEqual([1]);
    expect(patientView.totalUnread).toBe(1);
  });

  it("MSG-3: a conversation is read up to a message, and the marker only moves forward", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    for (const text of ["1", "2", "3", "4"]) await say(world, a.patient, conversationId, text);

    expect(await chat.markRead(a.practitioner, { conversationId, upToSeq: 2 })).toEqual({ readUpToSeq: 2 });
    let list = await chat.listConversations(a.practitioner, { limit: 10 });
    expect(list.items[0]).toMatchObject({ unreadCount: 2, readUpToSeq: 2 });
    expect(list.totalUnread).toBe(2);

    expect(await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 })).toEqual({ readUpToSeq: 2 });
    list = await chat.listConversations(a.practitioner, { limit: 10 });
    expect(list.items[0]).toMatchObject({ unreadCount: 2, readUpToSeq: 2 });

    // Beyond the last message is capped at the last message.
    expect(await chat.markRead(a.practitioner, { conversationId, upToSeq: 99 })).toEqual({ readUpToSeq: 4 });
    await say(world, a.patient, conversationId, "5");
    list = await chat.listConversations(a.practitioner, { limit: 10 });
    expect(list.items[0]).toMatchObject({ unreadCount: 1, readUpToSeq: 4 });
    expect((await chat.openConversation(a.practitioner, { conversationId })).readUpToSeq).toBe(4);

    await refused(chat.markRead(a.practitioner, { conversationId, upToSeq: -1 }), "INVALID_INPUT");
    await refused(chat.markRead(a.practitioner, { conversationId, upToSeq: 1.5 }), "INVALID_INPUT");
  });

  it('MSG-3: opening a conversation tells how far every participant has read, so "Seen by" survives a reload', async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    for (const text of ["1", "2", "3"]) await say(world, a.practitioner, conversationId, text);
    await chat.markRead(a.patient, { conversationId, upToSeq: 2 });

    const opened = await chat.openConversation(a.practitioner, { conversationId });
    expect(opened.readMarkers).toHaveLength(2);
    expect(opened.readMarkers).toEqual(
      expect.arrayContaining([
        { person: a.patient.person, readUpToSeq: 2 },
        { person: a.practitioner.person, readUpToSeq: 0 },
      ]),
    );
    const asPatient = await chat.openConversation(a.patient, { conversationId });
    expect(asPatient.readMarkers).toEqual(opened.readMarkers);
  });

  it("MSG-3: deleted messages do not count as unread", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const first = await say(world, a.patient, conversationId, "oops");
    await say(world, a.patient, conversationId, "real question");
    const { fileId } = await uploadFile(world, a.patient, conversationId, {
      fileName: "photo.jpg",
      contentType: "image/jpeg",
    });
    const fileMessage = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
    expect((await chat.listConversations(a.practitioner, { limit: 10 })).totalUnread).toBe(3);

    await chat.deleteMessage(a.patient, { messageId: first });
    await chat.deleteMessage(a.patient, { messageId: fileMessage.id });
    const list = await chat.listConversations(a.practitioner, { limit: 10 });
    expect(list.items[0]?.unreadCount).toBe(1);
    expect(list.totalUnread).toBe(1);
  });

  it("MSG-3: reading is per person: one staff member reading leaves the other's count alone", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await chat.startPatientChat(a.frontDesk, { patientId: a.patient.person.id });
    await say(world, a.patient, conversationId, "hello");
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 });
    expect((await chat.listConversations(a.practitioner, { limit: 10 })).totalUnread).toBe(0);
    expect((await chat.listConversations(a.frontDesk, { limit: 10 })).totalUnread).toBe(1);
  });
});

describe("MSG-2 the event log (domain part)", () => {
  it("MSG-2: created, participant added, posted, read and deleted events in order with increasing ids", async () => {
    const { a, chat } = world;
    const start = (await eventLog(world, a.clinicId)).length;
    const { conversation } = await chat.startPatientChat(a.practitioner, { patientId: a.patient.person.id });
    await chat.startPatientChat(a.frontDesk, { patientId: a.patient.person.id });
    const m1 = await say(world, a.patient, conversation.id, "MARKER-EVENT-ONE");
    const m2 = await say(world, a.practitioner, conversation.id, "MARKER-EVENT-TWO");
    await chat.markRead(a.practitioner, { conversationId: conversation.id, upToSeq: 1 });
    await chat.deleteMessage(a.patient, { messageId: m1 });

    const events = (await eventLog(world, a.clinicId)).slice(start);
    expect(events.map((e) => [e.type, e.conversationId, e.messageId, e.person, e.seq])).toEqual([
      ["conversation.created", conversation.id, null, a.practitioner.person, null],
      ["participant.added", conversation.id, null, a.frontDesk.person, null],
      ["message.posted", conversation.id, m1, a.patient.person, 1],
      ["message.posted", conversation.id, m2, a.practitioner.person, 2],
      ["conversation.read", conversation.id, null, a.practitioner.person, 1],
      ["message.deleted", conversation.id, m1, a.patient.person, 1],
    ]);
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.every((e) => e.clinicId === a.clinicId)).toBe(true);
  });

  it("MSG-2: reading again to the same point writes no second read event", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.patient, conversationId, "x");
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 });
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 1 });
    await chat.markRead(a.practitioner, { conversationId, upToSeq: 0 });
    const reads = (await eventLog(world, a.clinicId)).filter((e) => e.type === "conversation.read");
    expect(reads).toHaveLength(1);
  });

  it("MSG-2: events carry ids only, never text or file names", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.patient, conversationId, "MARKER-EVENT-TEXT my symptoms");
    const { fileId } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "MARKER-EVENT-FILE.pdf",
    });
    const file = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    await chat.deleteMessage(a.practitioner, { messageId: file.id });
    const events = await eventLog(world, a.clinicId);
    expect(events.length).toBeGreaterThan(0);
    const json = JSON.stringify(events);
    expect(json).not.toContain("MARKER-EVENT");
    expect(json).not.toContain("Harriet");
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(
        ["at", "clinicId", "conversationId", "id", "messageId", "person", "seq", "type"].sort(),
      );
    }
  });

  it("MSG-2: a refused action writes no event", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const before = await eventLog(world, a.clinicId);
    await refused(
      chat.sendMessage(a.frontDesk, { conversationId, clientId: clientId(), text: "x" }),
      "NOT_FOUND",
    );
    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "" }),
      "MESSAGE_EMPTY",
    );
    expect(await eventLog(world, a.clinicId)).toEqual(before);
    expect([...rows(world).messages.values()]).toEqual([]);
  });
});
