import { beforeEach, describe, expect, it } from "vitest";
import {
  auditTrail,
  createWorld,
  dumpJson,
  patientConversation,
  refused,
  say,
  sharedMessage,
  uploadFile,
  type World,
} from "../usecases/support/world";

let world: World;
let conversationId: string;
beforeEach(async () => {
  world = await createWorld();
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
  await world.chat.startPatientChat(world.a.admin, { patientId: world.a.patient.person.id });
});

const reason = "MARKER-HOLD-REASON Records requested by counsel";

describe("REC-4 legal hold", () => {
  it("REC-4: an admin places a hold with a reason; staff see who placed it and when; audited by ids only", async () => {
    const { a, chat, clock } = world;
    const hold = await chat.placeLegalHold(a.admin, {
      patientId: a.patient.person.id,
      reason: `  ${reason}  `,
    });
    expect(hold).toEqual({
      patientId: a.patient.person.id,
      reason,
      placedBy: { id: a.admin.person.id, name: expect.any(String) },
      placedAt: clock.now(),
    });
    expect(hold.placedBy.name).not.toBe("");
    expect(await chat.legalHoldOf(a.frontDesk, { patientId: a.patient.person.id })).toEqual(hold);
    const opened = await chat.openConversation(a.practitioner, { conversationId });
    expect(opened.legalHold).toBe(true);
    const record = (await auditTrail(world, a.clinicId)).find((e) => e.action === "legal_hold.place");
    expect(record).toMatchObject({ actor: a.admin.person, subject: a.patient.person, outcome: "success" });
    expect(JSON.stringify(await auditTrail(world, a.clinicId))).not.toContain("MARKER-HOLD-REASON");
  });

  it("REC-4: the patient list marks the patients under a hold, for every staff member, until it is lifted", async () => {
    const { a, chat } = world;
    const patientId = a.patient.person.id;
    const heldIn = async () =>
      (await chat.listPatients(a.frontDesk, { limit: 100 })).items
        .filter((item) => item.legalHold)
        .map((item) => item.person.id);
    expect(await heldIn()).toEqual([]);
    await chat.placeLegalHold(a.admin, { patientId, reason });
    expect(await heldIn()).toEqual([patientId]);
    const others = (await chat.listPatients(a.practitioner, { limit: 100 })).items.filter(
      (item) => item.person.id !== patientId,
    );
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((item) => !item.legalHold)).toBe(true);
    await chat.liftLegalHold(a.admin, { patientId });
    expect(await heldIn()).toEqual([]);
  });

  it("REC-4: only admins place or lift a hold; the reason is required and at most 500 characters", async () => {
    const { a, b, chat } = world;
    const patientId = a.patient.person.id;
    await refused(chat.placeLegalHold(a.practitioner, { patientId, reason }), "FORBIDDEN");
    await refused(chat.placeLegalHold(a.patient, { patientId, reason }), "FORBIDDEN");
    await refused(chat.placeLegalHold(b.admin, { patientId, reason }), "NOT_FOUND");
    await refused(chat.placeLegalHold(a.admin, { patientId, reason: "   " }), "INVALID_INPUT");
    await refused(chat.placeLegalHold(a.admin, { patientId, reason: "x".repeat(501) }), "INVALID_INPUT");
    await chat.placeLegalHold(a.admin, { patientId, reason: "x".repeat(500) });
    await refused(chat.placeLegalHold(a.admin, { patientId, reason }), "CONFLICT");
    await refused(chat.liftLegalHold(a.frontDesk, { patientId }), "FORBIDDEN");
    await refused(chat.liftLegalHold(b.admin, { patientId }), "NOT_FOUND");
    expect(await chat.legalHoldOf(a.frontDesk, { patientId })).not.toBeNull();
  });

  it("REC-4 DEL-1: while held, nobody deletes the patient's messages or files, not even an admin; after lifting they can", async () => {
    const { a, chat, blobs } = world;
    const patientId = a.patient.person.id;
    const text = await say(world, a.patient, conversationId, "MARKER-HELD-TEXT");
    const { fileId, storageKey } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "MARKER-HELD-FILE.pdf",
    });
    const file = sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    await chat.placeLegalHold(a.admin, { patientId, reason });

    await refused(chat.deleteMessage(a.patient, { messageId: text }), "LEGAL_HOLD");
    await refused(chat.deleteMessage(a.admin, { messageId: text }), "LEGAL_HOLD");
    await refused(chat.deleteMessage(a.practitioner, { messageId: file.id }), "LEGAL_HOLD");
    expect(dumpJson(world)).toContain("MARKER-HELD-TEXT");
    expect(dumpJson(world)).toContain("MARKER-HELD-FILE");
    expect(blobs.objects.has(storageKey)).toBe(true);
    const denied = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "message.delete");
    expect(denied.map((e) => [e.outcome, e.reason])).toEqual([
      ["denied", "LEGAL_HOLD"],
      ["denied", "LEGAL_HOLD"],
      ["denied", "LEGAL_HOLD"],
    ]);

    await chat.liftLegalHold(a.admin, { patientId });
    expect(await chat.legalHoldOf(a.frontDesk, { patientId })).toBeNull();
    await chat.deleteMessage(a.patient, { messageId: text });
    await chat.deleteMessage(a.practitioner, { messageId: file.id });
    expect(dumpJson(world)).not.toContain("MARKER-HELD-TEXT");
    expect(blobs.objects.has(storageKey)).toBe(false);
    const lifted = (await auditTrail(world, a.clinicId)).find((e) => e.action === "legal_hold.lift");
    expect(lifted).toMatchObject({ actor: a.admin.person, subject: a.patient.person, outcome: "success" });
  });

  it("REC-4: a hold on one patient leaves other patients' conversations and Team Chat deletable", async () => {
    const { a, chat } = world;
    await chat.placeLegalHold(a.admin, { patientId: a.patient.person.id, reason });
    const other = await patientConversation(world, a.practitioner, a.patientEmailOnly);
    const messageId = await say(world, a.practitioner, other, "typo");
    await chat.deleteMessage(a.practitioner, { messageId });
    const opened = await chat.openConversation(a.practitioner, { conversationId: other });
    expect(opened.legalHold).toBe(false);
  });
});
