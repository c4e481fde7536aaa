import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../src/people/people";
import { DomainError } from "../../src/shared/DomainError";
import {
  clientId,
  conversationsOf,
  createWorld,
  participantIds,
  patientConversation,
  refused,
  say,
  updatePatient,
  updateStaff,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

describe("ELIG-1 patients reachable only with an active portal account", () => {
  it("ELIG-1: an invited patient cannot be started or messaged; once active they can", async () => {
    const { a, chat } = world;
    const error = await refused(
      chat.startPatientChat(a.practitioner, { patientId: a.patientInvited.person.id }),
      "PATIENT_PORTAL_INACTIVE",
    );
    expect(error.details).toEqual({ portalAccount: "invited" });
    await refused(
      chat.startPatientChat(a.practitioner, { patientId: a.patientNone.person.id }),
      "PATIENT_PORTAL_INACTIVE",
    );
    expect(conversationsOf(world, a.clinicId)).toEqual([]);

    await updatePatient(world, a.patientInvited, { portalAccount: "active" });
    const conversationId = await patientConversation(world, a.practitioner, a.patientInvited);
    await say(world, a.practitioner, conversationId, "Welcome to the portal");
    const history = await chat.readHistory(a.patientInvited, { conversationId, limit: 10 });
    expect(history.messages).toHaveLength(1);
  });

  it("ELIG-1: a patient whose account is disabled later can no longer receive messages or files", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await say(world, a.practitioner, conversationId, "before");
    await updatePatient(world, a.patient, { portalAccount: "disabled" });

    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "after" }),
      "PATIENT_PORTAL_INACTIVE",
    );
    await refused(
      chat.requestFileUpload(a.practitioner, {
        conversationId,
        clientId: clientId(),
        fileName: "letter.pdf",
        sizeBytes: 1000,
        contentType: "application/pdf",
      }),
      "PATIENT_PORTAL_INACTIVE",
    );
    const details = await chat.openConversation(a.practitioner, { conversationId });
    expect(details.composer.text).toMatchObject({ allowed: false, reason: "PATIENT_PORTAL_INACTIVE" });
    expect(details.composer.file).toMatchObject({ allowed: false, reason: "PATIENT_PORTAL_INACTIVE" });
    expect(details.patientPortalAccount).toBe("disabled");
  });

  it("ELIG-1 MSG-1: a retry of a message sent before the account was disabled still gets that message (even with text that would be refused), while a new send is refused", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const input = { conversationId, clientId: clientId(), text: "before" };
    const first = await chat.sendMessage(a.practitioner, input);
    await updatePatient(world, a.patient, { portalAccount: "disabled" });
    expect(await chat.sendMessage(a.practitioner, input)).toEqual(first);
    expect(await chat.sendMessage(a.practitioner, { ...input, text: "   " })).toEqual(first);
    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "   " }),
      "MESSAGE_EMPTY",
    );
    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "after" }),
      "PATIENT_PORTAL_INACTIVE",
    );
  });

  it("ELIG-1: a file requested while the patient was active cannot be confirmed after the account is disabled", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const { fileId } = await uploadFile(world, a.practitioner, conversationId, { fileName: "results.pdf" });
    await updatePatient(world, a.patient, { portalAccount: "disabled" });
    await refused(chat.confirmFileUpload(a.practitioner, { fileId }), "PATIENT_PORTAL_INACTIVE");
  });
});

describe("ELIG-2 practitioner availability", () => {
  it("ELIG-2: patients cannot start a chat with an unavailable practitioner, who is not offered to them", async () => {
    const { a, chat } = world;
    const offered = await chat.availablePractitioners(a.patient);
    expect(offered.map((p) => p.id)).toEqual([a.practitioner.person.id]);
    await refused(
      chat.patientStartChat(a.patient, { practitionerId: a.unavailablePractitioner.person.id }),
      "NOT_FOUND",
    );
    // Nor with staff who are not practitioners, or deactivated ones.
    await refused(chat.patientStartChat(a.patient, { practitionerId: a.frontDesk.person.id }), "NOT_FOUND");
    await refused(chat.patientStartChat(a.patient, { practitionerId: a.admin.person.id }), "NOT_FOUND");
    await refused(chat.patientStartChat(a.patient, { practitionerId: a.deactivated.person.id }), "NOT_FOUND");
    expect(conversationsOf(world, a.clinicId)).toEqual([]);
  });

  it("ELIG-2: an unavailable practitioner can still start chats, be added, and keep replying", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.unavailablePractitioner, a.patient);
    await say(world, a.unavailablePractitioner, conversationId, "I can still write");
    await say(world, a.patient, conversationId, "thanks");
    await say(world, a.unavailablePractitioner, conversationId, "and reply");

    const other = await patientConversation(world, a.frontDesk, a.patientEmailOnly);
    expect(
      await chat.addParticipant(a.frontDesk, {
        conversationId: other,
        staffId: a.unavailablePractitioner.person.id,
      }),
    ).toEqual({ added: true });
    await say(world, a.unavailablePractitioner, other, "joined");
  });

  it("ELIG-2: a practitioner who turns availability off keeps their conversations and is hidden from new patients", async () => {
    const { a, chat } = world;
    const { conversation } = await chat.patientStartChat(a.patient, {
      practitionerId: a.practitioner.person.id,
    });
    expect(await chat.setAvailability(a.practitioner, { available: false })).toEqual({ available: false });

    expect(await chat.availablePractitioners(a.patientEmailOnly)).toEqual([]);
    await refused(
      chat.patientStartChat(a.patientEmailOnly, { practitionerId: a.practitioner.person.id }),
      "NOT_FOUND",
    );
    await say(world, a.patient, conversation.id, "still there?");
    await say(world, a.practitioner, conversation.id, "yes");

    await chat.setAvailability(a.practitioner, { available: true });
    expect((await chat.availablePractitioners(a.patientEmailOnly)).map((p) => p.id)).toEqual([
      a.practitioner.person.id,
    ]);
    await chat.setAvailability(a.unavailablePractitioner, { available: true });
    expect((await chat.availablePractitioners(a.patientEmailOnly)).map((p) => p.id).sort()).toEqual(
      [a.practitioner.person.id, a.unavailablePractitioner.person.id].sort(),
    );
  });

  it("ELIG-2: only practitioners set the availability toggle", async () => {
    const { a, chat } = world;
    await refused(chat.setAvailability(a.admin, { available: false }), "FORBIDDEN");
    await refused(chat.setAvailability(a.frontDesk, { available: false }), "FORBIDDEN");
    await refused(chat.setAvailability(a.patient, { available: false }), "FORBIDDEN");
    await refused(chat.setAvailability(a.deactivated, { available: true }), "STAFF_INACTIVE");
  });
});

describe("ELIG-3 Team Chat members", () => {
  it("ELIG-3: team chats contain only active staff of the same clinic", async () => {
    const { a, b, chat } = world;
    await refused(
      chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id, a.deactivated.person.id] }),
      "STAFF_INACTIVE",
    );
    await refused(chat.startTeamChat(a.admin, { staffIds: [b.practitioner.person.id] }), "NOT_FOUND");
    await refused(chat.startTeamChat(a.admin, { staffIds: [a.patient.person.id] }), "NOT_FOUND");
    await refused(chat.startTeamChat(a.patient, { staffIds: [a.practitioner.person.id] }), "FORBIDDEN");
    await refused(
      chat.startTeamChat(a.deactivated, { staffIds: [a.practitioner.person.id] }),
      "STAFF_INACTIVE",
    );
    await refused(chat.startTeamChat(a.admin, { staffIds: [] }), "INVALID_INPUT");
    expect(conversationsOf(world, a.clinicId)).toEqual([]);

    const { conversation } = await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] });
    await refused(
      chat.addParticipant(a.admin, { conversationId: conversation.id, staffId: a.deactivated.person.id }),
      "STAFF_INACTIVE",
    );
    await refused(
      chat.addParticipant(a.admin, { conversationId: conversation.id, staffId: b.frontDesk.person.id }),
      "NOT_FOUND",
    );
    await refused(
      chat.addParticipant(a.admin, { conversationId: conversation.id, staffId: a.patient.person.id }),
      "NOT_FOUND",
    );
    expect(
      await chat.addParticipant(a.practitioner, {
        conversationId: conversation.id,
        staffId: a.frontDesk.person.id,
      }),
    ).toEqual({ added: true });
    expect(participantIds(world, conversation.id)).toEqual(
      [a.admin.person.id, a.practitioner.person.id, a.frontDesk.person.id].sort(),
    );
  });

  it("ELIG-3: Team Chat is not offered on the Enhanced plan (PLAN_REQUIRED, Premium)", async () => {
    const { b, chat } = world;
    const error = await refused(
      chat.startTeamChat(b.admin, { staffIds: [b.practitioner.person.id] }),
      "PLAN_REQUIRED",
    );
    expect(error.details).toMatchObject({ plan: "premium" });
    expect(conversationsOf(world, b.clinicId)).toEqual([]);
  });
});

describe("ELIG-4 who sees a conversation", () => {
  it("ELIG-4: a patient sees and posts only in their own conversation", async () => {
    const { a, chat } = world;
    const mine = await patientConversation(world, a.practitioner, a.patient);
    const theirs = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    await say(world, a.practitioner, mine, "for Harriet");
    await say(world, a.practitioner, theirs, "for Elena only");

    const list = await chat.listConversations(a.patient, { limit: 10 });
    expect(list.items.map((i) => i.conversation.id)).toEqual([mine]);
    await refused(chat.openConversation(a.patient, { conversationId: theirs }), "NOT_FOUND");
    await refused(chat.readHistory(a.patient, { conversationId: theirs, limit: 10 }), "NOT_FOUND");
    await refused(
      chat.sendMessage(a.patient, { conversationId: theirs, clientId: clientId(), text: "hi" }),
      "NOT_FOUND",
    );
    await refused(chat.markRead(a.patient, { conversationId: theirs, upToSeq: 1 }), "NOT_FOUND");
  });

  it("ELIG-4: a patient cannot add people; staff add teammates and the conversation keeps one patient", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    await refused(
      chat.addParticipant(a.patient, { conversationId, staffId: a.frontDesk.person.id }),
      "FORBIDDEN",
    );
    await refused(
      chat.addParticipant(a.practitioner, { conversationId, staffId: a.patientEmailOnly.person.id }),
      "NOT_FOUND",
    );
    expect(
      await chat.addParticipant(a.practitioner, { conversationId, staffId: a.frontDesk.person.id }),
    ).toEqual({
      added: true,
    });
    expect(
      await chat.addParticipant(a.practitioner, { conversationId, staffId: a.frontDesk.person.id }),
    ).toEqual({
      added: false,
    });
    const details = await chat.openConversation(a.frontDesk, { conversationId });
    expect(details.participants.filter((p) => p.kind === "patient").map((p) => p.id)).toEqual([
      a.patient.person.id,
    ]);
  });

  it("ELIG-4: a staff member who is not a participant gets NOT_FOUND, like an unknown id", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const messageId = await say(world, a.practitioner, conversationId, "private");
    const team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation
      .id;
    for (const id of [conversationId, team]) {
      await refused(chat.openConversation(a.frontDesk, { conversationId: id }), "NOT_FOUND");
      await refused(chat.readHistory(a.frontDesk, { conversationId: id, limit: 10 }), "NOT_FOUND");
      await refused(
        chat.sendMessage(a.frontDesk, { conversationId: id, clientId: clientId(), text: "x" }),
        "NOT_FOUND",
      );
      await refused(chat.markRead(a.frontDesk, { conversationId: id, upToSeq: 1 }), "NOT_FOUND");
      await refused(
        chat.addParticipant(a.frontDesk, { conversationId: id, staffId: a.frontDesk.person.id }),
        "NOT_FOUND",
      );
    }
    await refused(chat.deleteMessage(a.frontDesk, { messageId }), "NOT_FOUND");
    // Even an admin outside the conversation.
    await refused(chat.readHistory(a.admin, { conversationId, limit: 10 }), "NOT_FOUND");
    expect((await chat.listConversations(a.frontDesk, { limit: 10 })).items).toEqual([]);
  });
});

describe("ELIG-5 nothing crosses clinics", () => {
  /** Clinic B with a conversation, a text message, a shared file and a pending upload. */
  async function seedClinicB() {
    const { b, chat } = world;
    const conversationId = await patientConversation(world, b.practitioner, b.patient);
    const messageId = await say(world, b.patient, conversationId, "clinic B secret");
    const ready = await uploadFile(world, b.practitioner, conversationId, { fileName: "b-results.pdf" });
    const fileMessage = await chat.confirmFileUpload(b.practitioner, { fileId: ready.fileId });
    const pending = await uploadFile(world, b.practitioner, conversationId, { fileName: "b-pending.pdf" });
    return {
      conversationId,
      messageId,
      readyFileId: ready.fileId,
      pendingFileId: pending.fileId,
      fileMessage,
    };
  }

  async function sameAnswer(call: (id: string) => Promise<unknown>, foreignId: string, unknownId: string) {
    const foreign = await refusal(call(foreignId));
    const unknown = await refusal(call(unknownId));
    expect(foreign.code).toBe("NOT_FOUND");
    expect({ code: foreign.code, message: foreign.message, details: foreign.details }).toEqual({
      code: unknown.code,
      message: unknown.message,
      details: unknown.details,
    });
  }

  async function refusal(promise: Promise<unknown>): Promise<DomainError> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    throw new Error("expected a refusal, the call succeeded");
  }

  it("ELIG-5: every use case answers a clinic-B id from a clinic-A actor exactly like an unknown id", async () => {
    const { a, b, chat } = world;
    const seeded = await seedClinicB();
    const unknown = "id-does-not-exist";
    const mineA = await patientConversation(world, a.practitioner, a.patient);
    const staffA: Actor = a.practitioner;
    const adminA: Actor = a.admin;

    await sameAnswer(
      (id) => chat.openConversation(staffA, { conversationId: id }),
      seeded.conversationId,
      unknown,
    );
    await sameAnswer(
      (id) => chat.readHistory(staffA, { conversationId: id, limit: 10 }),
      seeded.conversationId,
      unknown,
    );
    await sameAnswer(
      (id) => chat.sendMessage(staffA, { conversationId: id, clientId: clientId(), text: "hello" }),
      seeded.conversationId,
      unknown,
    );
    await sameAnswer(
      (id) => chat.markRead(staffA, { conversationId: id, upToSeq: 1 }),
      seeded.conversationId,
      unknown,
    );
    await sameAnswer(
      (id) => chat.addParticipant(staffA, { conversationId: id, staffId: a.frontDesk.person.id }),
      seeded.conversationId,
      unknown,
    );
    await sameAnswer(
      (id) => chat.addParticipant(staffA, { conversationId: mineA, staffId: id }),
      b.frontDesk.person.id,
      unknown,
    );
    await sameAnswer((id) => chat.deleteMessage(adminA, { messageId: id }), seeded.messageId, unknown);
    await sameAnswer((id) => chat.deleteMessage(adminA, { messageId: id }), seeded.fileMessage.id, unknown);
    await sameAnswer(
      (id) =>
        chat.requestFileUpload(staffA, {
          conversationId: id,
          clientId: clientId(),
          fileName: "x.pdf",
          sizeBytes: 10,
          contentType: "application/pdf",
        }),
      seeded.conversationId,
      unknown,
    );
    await sameAnswer((id) => chat.confirmFileUpload(staffA, { fileId: id }), seeded.pendingFileId, unknown);
    await sameAnswer((id) => chat.downloadFile(staffA, { fileId: id }), seeded.readyFileId, unknown);
    await sameAnswer((id) => chat.startPatientChat(staffA, { patientId: id }), b.patient.person.id, unknown);
    await sameAnswer(
      (id) => chat.patientStartChat(a.patient, { practitionerId: id }),
      b.practitioner.person.id,
      unknown,
    );
    await sameAnswer(
      (id) => chat.startTeamChat(staffA, { staffIds: [id] }),
      b.practitioner.person.id,
      unknown,
    );
    // A clinic-B person presenting clinic A's id is unknown there too.
    await sameAnswer(
      (id) => chat.listConversations({ clinicId: a.clinicId, person: { kind: "staff", id } }, { limit: 10 }),
      b.practitioner.person.id,
      unknown,
    );

    // And clinic B's data is untouched by all of that.
    const history = await chat.readHistory(b.patient, { conversationId: seeded.conversationId, limit: 10 });
    expect(history.messages.map((m) => m.body.kind)).toEqual(["file", "text"]);
    expect(participantIds(world, seeded.conversationId)).toEqual(
      [b.practitioner.person.id, b.patient.person.id].sort(),
    );
  });

  it("ELIG-5: nothing of clinic B appears in clinic A's lists, search or available practitioners", async () => {
    const { a, b, chat } = world;
    await seedClinicB();
    await say(world, a.patient, await patientConversation(world, a.practitioner, a.patient), "hello");
    const team = await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] });
    await say(world, a.admin, team.conversation.id, "hello team");
    const bIds = new Set([...b.staff.map((s) => s.id), ...b.patients.map((p) => p.id), b.clinicId]);

    const list = await chat.listConversations(a.practitioner, { limit: 100 });
    expect(list.items).toHaveLength(2);
    const seen = [
      ...list.items.flatMap((i) => [i.conversation.clinicId, ...i.participants.map((p) => p.id)]),
      ...list.people.map((p) => p.id),
    ];
    expect(seen.filter((id) => bIds.has(id))).toEqual([]);
    expect(list.items.every((i) => i.conversation.clinicId === a.clinicId)).toBe(true);

    for (const query of ["a", "e", "Harriet", "Petra", "Boris", "Okafor", "Emil"]) {
      for (const kind of ["patient", "staff"] as const) {
        const results = await chat.searchPeople(a.admin, { kind, query, limit: 50 });
        expect(results.filter((r) => bIds.has(r.person.id))).toEqual([]);
      }
    }
    const offered = await chat.availablePractitioners(a.patient);
    expect(offered.filter((p) => bIds.has(p.id))).toEqual([]);
    expect((await chat.listConversations(a.patient, { limit: 10 })).totalUnread).toBe(0);
  });
});

describe("ELIG-6 deactivated staff and disabled portal accounts", () => {
  it("ELIG-6: deactivated staff can no longer list, read or send; their messages stay", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const theirs = await say(world, a.practitioner, conversationId, "from before the deactivation");
    await updateStaff(world, a.practitioner, { active: false });

    await refused(chat.listConversations(a.practitioner, { limit: 10 }), "STAFF_INACTIVE");
    await refused(chat.readHistory(a.practitioner, { conversationId, limit: 10 }), "STAFF_INACTIVE");
    await refused(chat.openConversation(a.practitioner, { conversationId }), "STAFF_INACTIVE");
    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "still here?" }),
      "STAFF_INACTIVE",
    );
    await refused(chat.markRead(a.practitioner, { conversationId, upToSeq: 1 }), "STAFF_INACTIVE");
    await refused(
      chat.startPatientChat(a.practitioner, { patientId: a.patientEmailOnly.person.id }),
      "STAFF_INACTIVE",
    );
    await refused(
      chat.searchPeople(a.practitioner, { kind: "patient", query: "Elena", limit: 5 }),
      "STAFF_INACTIVE",
    );

    const history = await chat.readHistory(a.patient, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.id)).toEqual([theirs]);
    expect(history.messages[0]?.body).toEqual({ kind: "text", text: "from before the deactivation" });
    // They cannot be chosen by patients either.
    expect(await chat.availablePractitioners(a.patient)).toEqual([]);
  });

  it("ELIG-6: a disabled patient can no longer list, read or send; their messages stay", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const theirs = await say(world, a.patient, conversationId, "patient wrote this");
    await updatePatient(world, a.patient, { portalAccount: "disabled" });

    await refused(chat.listConversations(a.patient, { limit: 10 }), "PATIENT_PORTAL_INACTIVE");
    await refused(chat.readHistory(a.patient, { conversationId, limit: 10 }), "PATIENT_PORTAL_INACTIVE");
    await refused(chat.openConversation(a.patient, { conversationId }), "PATIENT_PORTAL_INACTIVE");
    await refused(
      chat.sendMessage(a.patient, { conversationId, clientId: clientId(), text: "hello?" }),
      "PATIENT_PORTAL_INACTIVE",
    );
    await refused(
      chat.requestFileUpload(a.patient, {
        conversationId,
        clientId: clientId(),
        fileName: "photo.jpg",
        sizeBytes: 100,
        contentType: "image/jpeg",
      }),
      "PATIENT_PORTAL_INACTIVE",
    );
    await refused(chat.availablePractitioners(a.patient), "PATIENT_PORTAL_INACTIVE");
    await refused(
      chat.patientStartChat(a.patient, { practitionerId: a.practitioner.person.id }),
      "PATIENT_PORTAL_INACTIVE",
    );

    const history = await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    expect(history.messages.map((m) => m.id)).toEqual([theirs]);
    expect(history.messages[0]?.body).toEqual({ kind: "text", text: "patient wrote this" });
  });

  it("ELIG-6: a deactivated staff member cannot delete even their own messages", async () => {
    const { a, chat } = world;
    const conversationId = await patientConversation(world, a.practitioner, a.patient);
    const messageId = await say(world, a.practitioner, conversationId, "mine");
    await updateStaff(world, a.practitioner, { active: false });
    await refused(chat.deleteMessage(a.practitioner, { messageId }), "STAFF_INACTIVE");
  });
});
