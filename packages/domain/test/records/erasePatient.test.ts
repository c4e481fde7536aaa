import { beforeEach, describe, expect, it } from "vitest";
import {
  auditTrail,
  clientId,
  createWorld,
  dumpWithoutAudit,
  eventLog,
  patientConversation,
  refused,
  say,
  sharedMessage,
  uploadFile,
  type World,
} from "../usecases/support/world";

let world: World;
let conversationId: string;
let patientId: string;
let name: string;
beforeEach(async () => {
  world = await createWorld();
  patientId = world.a.patient.person.id;
  name = world.a.patients.find((p) => p.id === patientId)!.name;
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
});

const reason = "MARKER-ERASE-REASON The patient asked to be forgotten";

describe("REC-2 erasing a whole patient", () => {
  it("REC-2 DEL-2 DEL-3: every message and file of the patient goes, their directory entry becomes a tombstone; audited with ids and counts", async () => {
    const { a, chat, blobs } = world;
    await say(world, a.patient, conversationId, "MARKER-PATIENT-TEXT");
    await say(world, a.practitioner, conversationId, "MARKER-STAFF-TEXT");
    const { fileId, storageKey } = await uploadFile(world, a.practitioner, conversationId, {
      fileName: "MARKER-ERASED-FILE.pdf",
    });
    sharedMessage(await chat.confirmFileUpload(a.practitioner, { fileId }));
    // START-1: the front desk writes in the same conversation, the patient's one.
    await say(
      world,
      a.frontDesk,
      await patientConversation(world, a.frontDesk, a.patient),
      "MARKER-SECOND-TEXT",
    );
    const soon = new Date(world.clock.now().getTime() + 60 * 60_000);
    await chat.bookAppointment(a.frontDesk, {
      patientId,
      practitionerId: a.practitioner.person.id,
      startsAt: soon,
      endsAt: new Date(soon.getTime() + 30 * 60_000),
    });
    const before = dumpWithoutAudit(world);
    expect(before).toContain("MARKER-PATIENT-TEXT");
    expect((await chat.patientFile(a.admin, { patientId })).appointments).toHaveLength(1);
    expect(before).toContain(name);

    const erased = await chat.erasePatient(a.admin, {
      patientId,
      confirmName: ` ${name.toUpperCase()} `,
      reason,
    });
    expect(erased).toEqual({ conversations: 1, messages: 4, files: 1 });

    const after = dumpWithoutAudit(world);
    for (const marker of [
      "MARKER-PATIENT-TEXT",
      "MARKER-STAFF-TEXT",
      "MARKER-ERASED-FILE",
      "MARKER-SECOND-TEXT",
      name,
    ])
      expect(after).not.toContain(marker);
    expect(after).not.toContain(world.a.patients.find((p) => p.id === patientId)!.email!);
    expect(blobs.objects.has(storageKey)).toBe(false);
    // DEL-3: each message is a content-free deletion record, seen by staff as deleted.
    const history = await chat.readHistory(a.practitioner, { conversationId, limit: 50 });
    expect(history.messages.map((m) => m.body.kind)).toEqual(["deleted", "deleted", "deleted", "deleted"]);
    const deletedEvents = (await eventLog(world, a.clinicId)).filter((e) => e.type === "message.deleted");
    expect(deletedEvents).toHaveLength(4);
    // The tombstone: staff see "Erased patient", nothing of who they were.
    const file = await chat.patientFile(a.admin, { patientId });
    expect(file).toMatchObject({
      person: { name: "Erased patient", dateOfBirth: null, active: false },
      email: null,
      mobilePhone: null,
      hostId: null,
      portalAccount: "none",
      appointments: [],
      erasure: { at: world.clock.now(), by: { id: a.admin.person.id, name: "Ada Lovelace" }, reason: reason },
    });
    const trail = await auditTrail(world, a.clinicId);
    const record = trail.find((e) => e.action === "patient.erase");
    expect(record).toMatchObject({
      actor: a.admin.person,
      subject: a.patient.person,
      outcome: "success",
      reason: "conversations=1 messages=4 files=1",
    });
    expect(JSON.stringify(trail)).not.toContain("MARKER-ERASE-REASON");
  });

  it("REC-2: the erased patient is in no patient list or search, cannot sign in or be invited, and their conversations take nothing new", async () => {
    const { a, chat } = world;
    await say(world, a.practitioner, conversationId, "Hello");
    await chat.erasePatient(a.admin, { patientId, confirmName: name, reason });
    const list = await chat.listPatients(a.frontDesk, { limit: 100 });
    expect(list.items.map((item) => item.person.id)).not.toContain(patientId);
    const found = await chat.searchPeople(a.frontDesk, { kind: "patient", query: name, limit: 10 });
    expect(found.map((r) => r.person.id)).not.toContain(patientId);
    await refused(
      chat.sendMessage(a.practitioner, { conversationId, clientId: clientId(), text: "Still there?" }),
      "CONVERSATION_READ_ONLY",
    );
    // ELIG-6: the patient's own session no longer acts.
    await refused(chat.readHistory(a.patient, { conversationId, limit: 10 }), "PATIENT_PORTAL_INACTIVE");
    await refused(
      chat.editPatient(a.frontDesk, {
        patientId,
        details: { name, dateOfBirth: "1980-01-02", smsConsent: false },
      }),
      "NOT_FOUND",
    );
    await refused(chat.erasePatient(a.admin, { patientId, confirmName: "", reason }), "NOT_FOUND");
  });

  it("REC-2: what was scheduled to the patient is cancelled, their conversations closed and read-only", async () => {
    const { a, chat } = world;
    await say(world, a.patient, conversationId, "Question");
    const scheduled = await chat.scheduleMessage(a.practitioner, {
      conversationId,
      clientId: clientId(),
      text: "MARKER-SCHEDULED-TEXT",
      when: { date: "2030-01-08", minute: 9 * 60 },
    });
    expect(scheduled.status).toBe("pending");
    expect((await chat.listInbox(a.practitioner, { view: "open", limit: 10 })).items).toHaveLength(1);
    await chat.erasePatient(a.admin, { patientId, confirmName: name, reason });
    // Cancelled: its text goes with its key where text is sealed (REC-1), and it never goes out.
    expect(await chat.listScheduledMessages(a.practitioner, { conversationId })).toEqual([]);
    expect((await chat.listInbox(a.practitioner, { view: "open", limit: 10 })).items).toHaveLength(0);
    const closed = (await chat.listInbox(a.practitioner, { view: "closed", limit: 10 })).items;
    expect(closed.map((row) => [row.conversationId, row.lastMessage?.preview])).toEqual([
      [conversationId, { kind: "deleted" }],
    ]);
    const opened = await chat.openConversation(a.practitioner, { conversationId });
    expect(opened.participants.find((p) => p.kind === "patient")?.name).toBe("Erased patient");
    expect(opened.composer.text).toEqual({ allowed: false, reason: "CONVERSATION_READ_ONLY" });
    // Nothing brings it back to a queue: reopening, claiming and assigning are refused.
    for (const change of [
      { kind: "reopen" },
      { kind: "claim" },
      { kind: "assign", staffId: a.practitioner.person.id },
    ] as const)
      await refused(chat.changeInbox(a.practitioner, { conversationId, change }), "CONVERSATION_READ_ONLY");
  });

  it("REC-2: only an admin erases, with the name typed again and a reason; a refusal changes nothing", async () => {
    const { a, b, chat } = world;
    await say(world, a.patient, conversationId, "MARKER-KEPT-TEXT");
    const before = dumpWithoutAudit(world);
    await refused(chat.erasePatient(a.practitioner, { patientId, confirmName: name, reason }), "FORBIDDEN");
    await refused(chat.erasePatient(a.frontDesk, { patientId, confirmName: name, reason }), "FORBIDDEN");
    await refused(chat.erasePatient(a.patient, { patientId, confirmName: name, reason }), "FORBIDDEN");
    await refused(chat.erasePatient(b.admin, { patientId, confirmName: name, reason }), "NOT_FOUND");
    await refused(
      chat.erasePatient(a.admin, { patientId: "nobody", confirmName: name, reason }),
      "NOT_FOUND",
    );
    const mismatch = await refused(
      chat.erasePatient(a.admin, { patientId, confirmName: `${name}x`, reason }),
      "INVALID_INPUT",
    );
    expect(mismatch.details).toEqual({ field: "confirmName" });
    await refused(
      chat.erasePatient(a.admin, { patientId, confirmName: name, reason: "  " }),
      "INVALID_INPUT",
    );
    await refused(
      chat.erasePatient(a.admin, { patientId, confirmName: name, reason: "x".repeat(501) }),
      "INVALID_INPUT",
    );
    expect(dumpWithoutAudit(world)).toBe(before);
    const denied = (await auditTrail(world, a.clinicId)).filter((e) => e.action === "patient.erase");
    // Clinic B's admin is refused in clinic B's trail.
    expect(denied.map((e) => e.outcome)).toEqual(Array(7).fill("denied"));
  });

  it("REC-2 REC-4: a patient under a legal hold is not erased until the hold is lifted", async () => {
    const { a, chat } = world;
    await say(world, a.patient, conversationId, "MARKER-HELD-TEXT");
    await chat.placeLegalHold(a.admin, { patientId, reason: "Counsel" });
    const before = dumpWithoutAudit(world);
    await refused(chat.erasePatient(a.admin, { patientId, confirmName: name, reason }), "LEGAL_HOLD");
    expect(dumpWithoutAudit(world)).toBe(before);
    await chat.liftLegalHold(a.admin, { patientId });
    await chat.erasePatient(a.admin, { patientId, confirmName: name, reason });
    expect(dumpWithoutAudit(world)).not.toContain("MARKER-HELD-TEXT");
  });
});

describe("REC-2 FILE-6 a file still being checked when its patient is erased", () => {
  it("REC-2 FILE-6: goes with the patient, record and bytes, and its scan then shares nothing", async () => {
    const scanned: string[] = [];
    const checked = await createWorld({
      scanner: {
        async scan() {
          scanned.push("scan");
          return { infected: false };
        },
      },
    });
    const { a, chat, blobs } = checked;
    const id = a.patient.person.id;
    const patientName = a.patients.find((p) => p.id === id)!.name;
    const conversation = await patientConversation(checked, a.practitioner, a.patient);
    const upload = await uploadFile(checked, a.practitioner, conversation, {
      fileName: "MARKER-CHECKING.pdf",
    });
    blobs.contents.set(upload.storageKey, new TextEncoder().encode("%PDF-1.4 clean"));
    expect((await chat.confirmFileUpload(a.practitioner, { fileId: upload.fileId })).state).toBe("checking");
    const scans = checked.uow.takeFileScans();
    await chat.erasePatient(a.admin, { patientId: id, confirmName: patientName, reason });
    expect(dumpWithoutAudit(checked)).not.toContain("MARKER-CHECKING");
    expect(blobs.objects.has(upload.storageKey)).toBe(false);
    for (const scan of scans) await chat.scanUploadedFile(scan).catch(() => null);
    expect(
      (await chat.readHistory(a.practitioner, { conversationId: conversation, limit: 10 })).messages,
    ).toEqual([]);
  });
});
