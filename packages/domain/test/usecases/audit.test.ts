import { beforeEach, describe, expect, it } from "vitest";
import type { AuditAction, StoredAuditEvent } from "../../src/audit/AuditEvent";
import type { Actor } from "../../src/people/people";
import type { DomainErrorCode } from "../../src/shared/DomainError";
import {
  allPatientNames,
  auditTrail,
  clientId,
  createWorld,
  patientConversation,
  refusal,
  say,
  sharedMessage,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
let conversationId: string;
beforeEach(async () => {
  world = await createWorld();
  conversationId = await patientConversation(world, world.a.practitioner, world.a.patient);
  world.clock.advanceSeconds(5);
});

/** Runs `call` and returns the audit records it added to clinic A. */
async function recordsOf(
  call: () => Promise<unknown>,
  clinicId = world.a.clinicId,
): Promise<StoredAuditEvent[]> {
  const before = (await auditTrail(world, clinicId)).length;
  await call();
  return (await auditTrail(world, clinicId)).slice(before);
}

interface Expected {
  action: AuditAction;
  actor: Actor;
  targets?: Partial<Pick<StoredAuditEvent, "conversationId" | "messageId" | "fileId" | "subject">>;
}

function expectOneRecord(
  records: StoredAuditEvent[],
  expected: Expected,
  outcome: "success" | "denied",
  reason: DomainErrorCode | null,
) {
  expect(records).toHaveLength(1);
  expect(records[0]).toMatchObject({
    clinicId: expected.actor.clinicId,
    actor: expected.actor.person,
    action: expected.action,
    ip: expected.actor.ip,
    at: world.clock.now(),
    outcome,
    reason,
    ...expected.targets,
  });
}

describe("SEC-3 every use case is audited", () => {
  it("SEC-3: successful calls record actor, clinic, action, target ids, time, IP and outcome", async () => {
    const { a, chat } = world;
    const ok = async (expected: Expected, call: () => Promise<unknown>) => {
      const records = await recordsOf(call);
      expectOneRecord(records, expected, "success", null);
    };

    const patientId = a.patientEmailOnly.person.id;
    let started = "";
    await ok(
      {
        action: "conversation.start",
        actor: a.practitioner,
        targets: { subject: { kind: "patient", id: patientId } },
      },
      async () => {
        started = (await chat.startPatientChat(a.practitioner, { patientId })).conversation.id;
      },
    );
    expect((await auditTrail(world, a.clinicId)).at(-1)?.conversationId).toBe(started);

    await ok(
      {
        action: "conversation.start",
        actor: a.patient,
        targets: { conversationId, subject: { kind: "staff", id: a.practitioner.person.id } },
      },
      () => chat.patientStartChat(a.patient, { practitionerId: a.practitioner.person.id }),
    );
    let team = "";
    await ok({ action: "conversation.start", actor: a.admin }, async () => {
      team = (await chat.startTeamChat(a.admin, { staffIds: [a.practitioner.person.id] })).conversation.id;
    });
    expect((await auditTrail(world, a.clinicId)).at(-1)?.conversationId).toBe(team);
    await ok(
      {
        action: "conversation.add_participant",
        actor: a.practitioner,
        targets: { conversationId, subject: { kind: "staff", id: a.frontDesk.person.id } },
      },
      () => chat.addParticipant(a.practitioner, { conversationId, staffId: a.frontDesk.person.id }),
    );
    await ok({ action: "conversation.read_history", actor: a.patient, targets: { conversationId } }, () =>
      chat.openConversation(a.patient, { conversationId }),
    );
    await ok({ action: "conversation.list", actor: a.patient }, () =>
      chat.listConversations(a.patient, { limit: 10 }),
    );
    await ok({ action: "conversation.read_history", actor: a.frontDesk, targets: { conversationId } }, () =>
      chat.readHistory(a.frontDesk, { conversationId, limit: 10 }),
    );

    let messageId = "";
    const sendRecords = await recordsOf(async () => {
      messageId = (await chat.sendMessage(a.patient, { conversationId, clientId: clientId(), text: "hello" }))
        .id;
    });
    expectOneRecord(
      sendRecords,
      { action: "message.send", actor: a.patient, targets: { conversationId, messageId } },
      "success",
      null,
    );

    await ok({ action: "conversation.mark_read", actor: a.practitioner, targets: { conversationId } }, () =>
      chat.markRead(a.practitioner, { conversationId, upToSeq: 1 }),
    );

    let fileId = "";
    const requestRecords = await recordsOf(async () => {
      fileId = (
        await chat.requestFileUpload(a.patient, {
          conversationId,
          clientId: clientId(),
          fileName: "x.pdf",
          sizeBytes: 100,
          contentType: "application/pdf",
        })
      ).fileId;
    });
    expectOneRecord(
      requestRecords,
      { action: "file.upload_request", actor: a.patient, targets: { conversationId, fileId } },
      "success",
      null,
    );
    const key = world.blobs.uploadUrls.at(-1)?.key ?? "";
    world.blobs.upload(key, { sizeBytes: 100, detectedType: "application/pdf" });
    let fileMessageId = "";
    const confirmRecords = await recordsOf(async () => {
      fileMessageId = sharedMessage(await chat.confirmFileUpload(a.patient, { fileId })).id;
    });
    expectOneRecord(
      confirmRecords,
      {
        action: "file.upload_confirm",
        actor: a.patient,
        targets: { conversationId, fileId, messageId: fileMessageId },
      },
      "success",
      null,
    );
    await ok({ action: "file.download", actor: a.practitioner, targets: { conversationId, fileId } }, () =>
      chat.downloadFile(a.practitioner, { fileId }),
    );
    await ok(
      {
        action: "message.delete",
        actor: a.patient,
        targets: { conversationId, messageId: fileMessageId, fileId },
      },
      () => chat.deleteMessage(a.patient, { messageId: fileMessageId }),
    );
    await ok({ action: "message.delete", actor: a.patient, targets: { conversationId, messageId } }, () =>
      chat.deleteMessage(a.patient, { messageId }),
    );
    await ok({ action: "directory.search", actor: a.frontDesk }, () =>
      chat.searchPeople(a.frontDesk, { kind: "patient", query: "Elena", limit: 5 }),
    );
    await ok(
      { action: "availability.change", actor: a.practitioner, targets: { subject: a.practitioner.person } },
      () => chat.setAvailability(a.practitioner, { available: false }),
    );
    await ok({ action: "settings.change", actor: a.admin }, () =>
      chat.changeClinicSettings(a.admin, { smsNotificationsEnabled: true }),
    );
    await ok({ action: "settings.change", actor: a.admin }, () =>
      chat.changeClinicPlan(a.admin, { plan: "enhanced" }),
    );
  });

  it("SEC-3: refusals are recorded as denied with the reason code", async () => {
    const { a, b, chat } = world;
    const messageId = await say(world, a.patient, conversationId, "x");
    const denied = async (expected: Expected, reason: DomainErrorCode, call: () => Promise<unknown>) => {
      const records = await recordsOf(async () => {
        const error = await refusal(call());
        expect(error.code).toBe(reason);
      }, expected.actor.clinicId);
      expectOneRecord(records, expected, "denied", reason);
    };

    await denied(
      {
        action: "conversation.start",
        actor: a.practitioner,
        targets: { subject: { kind: "patient", id: a.patientInvited.person.id } },
      },
      "PATIENT_PORTAL_INACTIVE",
      () => chat.startPatientChat(a.practitioner, { patientId: a.patientInvited.person.id }),
    );
    await denied({ action: "conversation.start", actor: a.patient }, "NOT_FOUND", () =>
      chat.patientStartChat(a.patient, { practitionerId: a.unavailablePractitioner.person.id }),
    );
    await denied({ action: "conversation.start", actor: b.admin }, "PLAN_REQUIRED", () =>
      chat.startTeamChat(b.admin, { staffIds: [b.practitioner.person.id] }),
    );
    await denied(
      { action: "conversation.add_participant", actor: a.patient, targets: { conversationId } },
      "FORBIDDEN",
      () => chat.addParticipant(a.patient, { conversationId, staffId: a.frontDesk.person.id }),
    );
    await denied(
      { action: "conversation.read_history", actor: a.frontDesk, targets: { conversationId } },
      "NOT_FOUND",
      () => chat.openConversation(a.frontDesk, { conversationId }),
    );
    await denied({ action: "conversation.list", actor: a.deactivated }, "STAFF_INACTIVE", () =>
      chat.listConversations(a.deactivated, { limit: 10 }),
    );
    await denied(
      { action: "conversation.read_history", actor: a.patientEmailOnly, targets: { conversationId } },
      "NOT_FOUND",
      () => chat.readHistory(a.patientEmailOnly, { conversationId, limit: 10 }),
    );
    await denied(
      { action: "message.send", actor: a.patient, targets: { conversationId } },
      "MESSAGE_EMPTY",
      () => chat.sendMessage(a.patient, { conversationId, clientId: clientId(), text: "   " }),
    );
    await denied(
      { action: "conversation.mark_read", actor: a.frontDesk, targets: { conversationId } },
      "NOT_FOUND",
      () => chat.markRead(a.frontDesk, { conversationId, upToSeq: 1 }),
    );
    await denied(
      { action: "message.delete", actor: a.practitioner, targets: { messageId, conversationId } },
      "FORBIDDEN",
      () => chat.deleteMessage(a.practitioner, { messageId }),
    );
    await denied(
      { action: "file.upload_request", actor: a.patient, targets: { conversationId } },
      "FILE_NAME_REFUSED",
      () =>
        chat.requestFileUpload(a.patient, {
          conversationId,
          clientId: clientId(),
          fileName: "x.exe",
          sizeBytes: 100,
          contentType: "application/x-msdownload",
        }),
    );
    await denied(
      { action: "file.download", actor: a.frontDesk, targets: { fileId: "id-unknown" } },
      "NOT_FOUND",
      () => chat.downloadFile(a.frontDesk, { fileId: "id-unknown" }),
    );
    await denied({ action: "directory.search", actor: a.patient }, "FORBIDDEN", () =>
      chat.searchPeople(a.patient, { kind: "staff", query: "Priya", limit: 5 }),
    );
    await denied({ action: "availability.change", actor: a.frontDesk }, "FORBIDDEN", () =>
      chat.setAvailability(a.frontDesk, { available: false }),
    );
    await denied({ action: "settings.change", actor: a.practitioner }, "FORBIDDEN", () =>
      chat.changeClinicSettings(a.practitioner, { smsNotificationsEnabled: true }),
    );
    await denied({ action: "settings.change", actor: b.admin }, "PLAN_REQUIRED", () =>
      chat.changeClinicSettings(b.admin, { teamChatEnabled: true }),
    );
    await denied({ action: "settings.change", actor: a.frontDesk }, "FORBIDDEN", () =>
      chat.changeClinicPlan(a.frontDesk, { plan: "starter" }),
    );
  });

  it("SEC-3: a file whose bytes fail the check is audited as rejected with the reason", async () => {
    const { a, chat } = world;
    const { fileId } = await uploadFile(world, a.patient, conversationId, {
      fileName: "x.pdf",
      detectedType: "application/x-msdownload",
    });
    const records = await recordsOf(() => refusal(chat.confirmFileUpload(a.patient, { fileId })));
    expect(records).toEqual([
      expect.objectContaining({
        actor: a.patient.person,
        clinicId: a.clinicId,
        conversationId,
        fileId,
        ip: a.patient.ip,
        outcome: "denied",
        reason: "FILE_TYPE_NOT_ALLOWED",
      }),
    ]);
    expect(["file.upload_confirm", "file.upload_rejected"]).toContain(records[0]?.action);
  });

  for (const [label, reason, setup] of [
    [
      "someone else's upload",
      "NOT_FOUND",
      async () => {
        const { fileId } = await uploadFile(world, world.a.practitioner, conversationId, {
          fileName: "p.pdf",
        });
        return { fileId, actor: world.a.patient };
      },
    ],
    [
      "nothing uploaded yet",
      "FILE_NOT_UPLOADED",
      async () => {
        const { fileId } = await world.chat.requestFileUpload(world.a.patient, {
          conversationId,
          clientId: clientId(),
          fileName: "p.pdf",
          sizeBytes: 100,
          contentType: "application/pdf",
        });
        return { fileId, actor: world.a.patient };
      },
    ],
    [
      "an expired upload",
      "FILE_UPLOAD_EXPIRED",
      async () => {
        const { fileId } = await uploadFile(world, world.a.patient, conversationId, { fileName: "p.pdf" });
        world.clock.advanceSeconds(3000);
        return { fileId, actor: world.a.patient };
      },
    ],
  ] as const) {
    it(`SEC-3: a refused upload confirmation (${label}) is recorded as denied with ${reason}`, async () => {
      const { fileId, actor } = await setup();
      const records = await recordsOf(async () => {
        const error = await refusal(world.chat.confirmFileUpload(actor, { fileId }));
        expect(error.code).toBe(reason);
      });
      expect(records).toEqual([
        expect.objectContaining({
          action: "file.upload_confirm",
          actor: actor.person,
          clinicId: actor.clinicId,
          fileId,
          ip: actor.ip,
          outcome: "denied",
          reason,
        }),
      ]);
    });
  }

  it("SEC-3: an access that fails for an infrastructure reason is still recorded, with outcome failure", async () => {
    const { a, chat, blobs } = world;
    const { fileId } = await uploadFile(world, a.patient, conversationId, { fileName: "p.pdf" });
    await chat.confirmFileUpload(a.patient, { fileId });
    blobs.outage.presignDownload = 1;
    const records = await recordsOf(() =>
      expect(chat.downloadFile(a.practitioner, { fileId })).rejects.toThrow("storage unavailable"),
    );
    expect(records).toEqual([
      expect.objectContaining({
        action: "file.download",
        actor: a.practitioner.person,
        fileId,
        conversationId,
        outcome: "failure",
      }),
    ]);
  });

  it("SEC-3: the audit trail holds no message text, file names, patient names or search queries", async () => {
    const { a, chat } = world;
    await chat.startPatientChat(a.admin, { patientId: a.patient.person.id });
    const messageId = await say(world, a.patient, conversationId, "MARKER-AUDIT-TEXT chest pain");
    await refusal(
      chat.sendMessage(a.patient, {
        conversationId,
        clientId: clientId(),
        text: `MARKER-AUDIT-LONG${"x".repeat(4001)}`,
      }),
    );
    const { fileId } = await uploadFile(world, a.patient, conversationId, {
      fileName: "MARKER-AUDIT-FILE.pdf",
    });
    await chat.confirmFileUpload(a.patient, { fileId });
    await chat.downloadFile(a.practitioner, { fileId });
    const bad = await uploadFile(world, a.patient, conversationId, {
      fileName: "MARKER-AUDIT-BADFILE.pdf",
      detectedType: "application/zip",
    });
    await refusal(chat.confirmFileUpload(a.patient, { fileId: bad.fileId }));
    await refusal(
      chat.requestFileUpload(a.patient, {
        conversationId,
        clientId: clientId(),
        fileName: "MARKER-AUDIT-REFUSEDFILE.exe",
        sizeBytes: 10,
        contentType: "application/x-msdownload",
      }),
    );
    await chat.searchPeople(a.frontDesk, { kind: "patient", query: "MARKER-AUDIT-QUERY", limit: 5 });
    for (const name of allPatientNames) {
      await chat.searchPeople(a.frontDesk, { kind: "patient", query: name, limit: 5 });
    }
    await chat.readHistory(a.practitioner, { conversationId, limit: 10 });
    await chat.deleteMessage(a.admin, { messageId });

    const trail = JSON.stringify(await auditTrail(world, a.clinicId));
    expect(trail).not.toContain("MARKER-AUDIT");
    for (const name of allPatientNames) {
      for (const part of name.split(" ")) expect(trail).not.toContain(part);
    }
  });
});
