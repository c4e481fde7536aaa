import { beforeEach, describe, expect, it } from "vitest";
import { readHistories } from "../../src/chat/readHistory";
import {
  allPatientNames,
  auditTrail,
  clientId,
  createWorld,
  patientConversation,
  refused,
  say,
  sharedMessage,
  updateStaff,
  uploadFile,
  type World,
} from "./support/world";

let world: World;
let conversationId: string;
let fileId: string;
const reason = "Harriet Okonkwo called 911; her practitioner is away";
beforeEach(async () => {
  world = await createWorld();
  const { a, chat } = world;
  conversationId = await patientConversation(world, a.practitioner, a.patient);
  await say(world, a.patient, conversationId, "My chest hurts");
  const upload = await uploadFile(world, a.patient, conversationId, { fileName: "ECG.pdf" });
  fileId = upload.fileId;
  sharedMessage(await chat.confirmFileUpload(a.patient, { fileId }));
  // A second admin, to be told.
  await world.uow.run(a.clinicId, (s) =>
    s.directory.saveStaff({
      id: "a-staff-admin2",
      clinicId: a.clinicId,
      name: "Grace Hopper",
      email: "admin2@a.staff.test",
      role: "admin",
      active: true,
      availableForPatientChat: false,
      emailNotifications: false,
    }),
  );
  world.clock.advanceSeconds(10);
});

describe("REC-7 emergency access", () => {
  it("REC-7: without a grant an admin not in the conversation reads nothing (ELIG-4: NOT_FOUND)", async () => {
    const { a, chat } = world;
    await refused(chat.readHistory(a.admin, { conversationId, limit: 10 }), "NOT_FOUND");
    await refused(chat.openConversation(a.admin, { conversationId }), "NOT_FOUND");
    await refused(chat.downloadFile(a.admin, { fileId }), "NOT_FOUND");
    expect(await chat.emergencyStanding(a.admin, { conversationId })).toEqual({
      kind: "patient",
      participant: false,
      until: null,
    });
  });

  it("REC-7: with a reason an admin reads history and files for one hour, read-only; then NOT_FOUND again", async () => {
    const { a, chat } = world;
    const opened = await chat.openInEmergency(a.admin, { conversationId, reason });
    expect(opened.until).toEqual(new Date(world.clock.now().getTime() + 3_600_000));
    const history = await chat.readHistory(a.admin, { conversationId, limit: 10 });
    expect(history.messages.some((m) => m.body.kind === "text" && m.body.text === "My chest hurts")).toBe(
      true,
    );
    const details = await chat.openConversation(a.admin, { conversationId });
    expect(details.emergencyUntil).toEqual(opened.until);
    expect(details.composer.text).toEqual({ allowed: false, reason: "NOT_A_PARTICIPANT" });
    await chat.downloadFile(a.admin, { fileId });
    const [live] = await readHistories(world.deps, a.clinicId, [
      { actor: a.admin, conversationId, beforeSeq: null, limit: 10 },
    ]);
    expect(live?.ok).toBe(true);
    // No posting unless they join the usual way.
    await refused(
      chat.sendMessage(a.admin, { conversationId, clientId: clientId(), text: "On my way" }),
      "NOT_FOUND",
    );
    await refused(chat.markRead(a.admin, { conversationId, upToSeq: 1 }), "NOT_FOUND");

    world.clock.advanceSeconds(3600);
    await refused(chat.readHistory(a.admin, { conversationId, limit: 10 }), "NOT_FOUND");
    await refused(chat.openConversation(a.admin, { conversationId }), "NOT_FOUND");
    await refused(chat.downloadFile(a.admin, { fileId }), "NOT_FOUND");
    expect((await chat.emergencyStanding(a.admin, { conversationId })).until).toBeNull();
  });

  it("REC-7: the grant is audited by conversation; the reason stays out of the audit trail and every other admin is told", async () => {
    const { a, chat } = world;
    const sentBefore = world.email.sent.length;
    const opened = await chat.openInEmergency(a.admin, { conversationId, reason });
    expect(opened.adminsTold).toBe(1);
    const records = await auditTrail(world, a.clinicId);
    const grant = records.filter((r) => r.action === "conversation.emergency_open");
    expect(grant).toMatchObject([
      { actor: a.admin.person, conversationId, outcome: "success", reason: null },
    ]);
    expect(JSON.stringify(records)).not.toContain("911");
    const mails = world.email.sent.slice(sentBefore);
    expect(mails.map((m) => m.to)).toEqual(["admin2@a.staff.test"]);
    const mail = JSON.stringify(mails);
    expect(mail).toContain("An administrator used emergency access in Lakeside Clinic; see the audit trail");
    for (const name of allPatientNames) expect(mail).not.toContain(name);
    expect(mail).not.toContain("911");
    expect(mail).not.toContain(conversationId);

    const admin2 = {
      clinicId: a.clinicId,
      person: { kind: "staff" as const, id: "a-staff-admin2" },
      ip: null,
    };
    const notices = await chat.recentEmergencyAccess(admin2);
    expect(notices).toMatchObject([
      {
        adminName: "Ada Lovelace (admin)",
        conversation: "the conversation with Harriet Okonkwo (patient)",
        reason,
        mine: false,
        expiresAt: opened.until,
      },
    ]);
    const trail = await chat.listAuditTrail(admin2, { limit: 5, action: "conversation.emergency_open" });
    expect(trail.items.map((e) => e.sentence)).toEqual([
      "Ada Lovelace (admin) opened the conversation with Harriet Okonkwo (patient) with emergency access",
    ]);
  });

  it("REC-7: only an admin, with a reason, for a conversation of their clinic they are not already in", async () => {
    const { a, b, chat } = world;
    await refused(chat.openInEmergency(a.frontDesk, { conversationId, reason }), "FORBIDDEN");
    await refused(chat.openInEmergency(a.patient, { conversationId, reason }), "FORBIDDEN");
    await refused(chat.openInEmergency(b.admin, { conversationId, reason }), "NOT_FOUND");
    await refused(chat.emergencyStanding(b.admin, { conversationId }), "NOT_FOUND");
    await refused(chat.openInEmergency(a.admin, { conversationId, reason: "   " }), "INVALID_INPUT");
    await refused(
      chat.openInEmergency(a.admin, { conversationId, reason: "x".repeat(1001) }),
      "INVALID_INPUT",
    );
    const own = await patientConversation(world, a.admin, a.patientEmailOnly);
    await refused(chat.openInEmergency(a.admin, { conversationId: own, reason }), "CONFLICT");
    // Clinic B's admin never reads clinic A's conversation, grant or not.
    await chat.openInEmergency(a.admin, { conversationId, reason });
    await refused(chat.readHistory(b.admin, { conversationId, limit: 10 }), "NOT_FOUND");
  });

  it("REC-7: an admin deactivated during the hour reads nothing more (ELIG-6)", async () => {
    const { a, chat } = world;
    await chat.openInEmergency(a.admin, { conversationId, reason });
    await updateStaff(world, a.admin, { active: false });
    await refused(chat.readHistory(a.admin, { conversationId, limit: 10 }), "STAFF_INACTIVE");
  });
});
