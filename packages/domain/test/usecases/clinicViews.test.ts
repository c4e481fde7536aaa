import { beforeEach, describe, expect, it } from "vitest";
import { minimumPlan } from "../../src/clinic/entitlements";
import { createWorld, refused, updatePatient, updateStaff, type World } from "./support/world";

let world: World;
beforeEach(async () => {
  world = await createWorld();
});

describe("entitlementView: what a staff member's app shows of the clinic's chat", () => {
  it("ENT-1 ENT-2: plan, settings, one decision per capability and the cheapest plan of each", async () => {
    const { a, b, chat } = world;
    const view = await chat.entitlementView(a.frontDesk);
    expect(view).toMatchObject({ clinicName: a.clinicName, plan: "premium", minimumPlan });
    expect(view.entitlements).toEqual({
      patientFileSharing: { allowed: true },
      patientMessaging: { allowed: true },
      teamChat: { allowed: true },
    });
    const enhanced = await chat.entitlementView(b.practitioner);
    expect(enhanced.plan).toBe("enhanced");
    expect(enhanced.entitlements.teamChat).toEqual({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
  });

  it("ENT-4: a change of settings or plan shows in the very next view, nothing is cached", async () => {
    const { a, chat } = world;
    await chat.changeClinicSettings(a.admin, { patientChatEnabled: false });
    const paused = await chat.entitlementView(a.practitioner);
    expect(paused.settings.patientChatEnabled).toBe(false);
    expect(paused.entitlements.patientMessaging).toEqual({ allowed: false, reason: "PATIENT_CHAT_OFF" });
    await chat.changeClinicPlan(a.admin, { plan: "starter" });
    expect((await chat.entitlementView(a.practitioner)).plan).toBe("starter");
  });

  it("ELIG-6: deactivated staff are refused; patients are FORBIDDEN; another clinic's staff NOT_FOUND (ELIG-5)", async () => {
    const { a, b, chat } = world;
    await refused(chat.entitlementView(a.deactivated), "STAFF_INACTIVE");
    await refused(chat.entitlementView(a.patient), "FORBIDDEN");
    await refused(chat.entitlementView({ ...b.admin, clinicId: a.clinicId }), "NOT_FOUND");
  });
});

describe("accountSettings: My Account of the signed-in staff member", () => {
  it("ELIG-2 NOTIF-3: role, availability for patient chat and chat emails, as stored", async () => {
    const { a, chat } = world;
    expect(await chat.accountSettings(a.unavailablePractitioner)).toEqual({
      role: "practitioner",
      availableForPatientChat: false,
      emailNotifications: true,
    });
    await chat.setEmailNotifications(a.frontDesk, { enabled: false });
    expect(await chat.accountSettings(a.frontDesk)).toEqual({
      role: "staff",
      availableForPatientChat: true,
      emailNotifications: false,
    });
  });

  it("ELIG-6: a staff member deactivated meanwhile is refused; patients are FORBIDDEN", async () => {
    const { a, chat } = world;
    await updateStaff(world, a.frontDesk, { active: false });
    await refused(chat.accountSettings(a.frontDesk), "STAFF_INACTIVE");
    await refused(chat.accountSettings(a.patient), "FORBIDDEN");
  });
});

describe("portalChatView: whether the Patient Portal shows Chat", () => {
  it("ENT-1: on a plan with patient chat on, Chat shows and the composer offers text and files", async () => {
    const { a, chat } = world;
    expect(await chat.portalChatView(a.patient)).toEqual({
      clinicName: a.clinicName,
      chatAvailable: true,
      composer: { text: { allowed: true }, file: { allowed: true } },
    });
  });

  it("ENT-3: while the clinic pauses patient chat the portal shows no Chat, each composer 'no' with its reason", async () => {
    const { a, chat } = world;
    await chat.changeClinicSettings(a.admin, { patientChatEnabled: false });
    const view = await chat.portalChatView(a.patient);
    expect(view.chatAvailable).toBe(false);
    expect(view.composer.text).toEqual({ allowed: false, reason: "PATIENT_CHAT_OFF" });
  });

  it("ENT-1 ENT-3: a plan without patient messaging leaves files only; with file sharing off too, no Chat", async () => {
    const { a, chat } = world;
    await chat.changeClinicPlan(a.admin, { plan: "starter" });
    const starter = await chat.portalChatView(a.patient);
    expect(starter.chatAvailable).toBe(true);
    expect(starter.composer.text).toMatchObject({ allowed: false, reason: "PLAN_REQUIRED" });
    expect(starter.composer.file).toEqual({ allowed: true });
    await chat.changeClinicSettings(a.admin, { patientFileSharingEnabled: false });
    expect((await chat.portalChatView(a.patient)).chatAvailable).toBe(false);
  });

  it("ELIG-6: a portal account disabled meanwhile is refused; staff are FORBIDDEN", async () => {
    const { a, chat } = world;
    await updatePatient(world, a.patient, { portalAccount: "disabled" });
    await refused(chat.portalChatView(a.patient), "PATIENT_PORTAL_INACTIVE");
    await refused(chat.portalChatView(a.practitioner), "FORBIDDEN");
  });
});
