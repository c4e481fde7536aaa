import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/router";
import { startTestApi, type TestApi } from "./support/api";
import { phi } from "./support/world";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

async function refusal(promise: Promise<unknown>): Promise<TRPCClientError<AppRouter>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return error as TRPCClientError<AppRouter>;
}

/** A patient conversation between clinic A's doctor and patient, over HTTP. */
async function patientConversation() {
  const { a } = api.world;
  const doctor = api.clientAs(a.sessionOf(a.doctor));
  const started = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
  return { doctor, patient: api.clientAs(a.sessionOf(a.patient)), conversationId: started.conversation.id };
}

describe("every procedure over HTTP, happy path", () => {
  it("START-1: conversations.startWithPatient creates the patient's chat once and opens it after", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const first = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    const again = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, conversation: { id: first.conversation.id } });
    expect(typeof first.conversation.createdAt).toBe("string"); // no transformer: dates travel as ISO strings
  });

  it("MSG-1: messages.send is idempotent by client id; MSG-3: conversations.list counts unread", async () => {
    const { doctor, patient, conversationId } = await patientConversation();
    const sent = await doctor.messages.send.mutate({
      conversationId,
      clientId: "m-1",
      text: `  ${phi.messageText} `,
    });
    const retried = await doctor.messages.send.mutate({
      conversationId,
      clientId: "m-1",
      text: phi.messageText,
    });
    expect(retried.id).toBe(sent.id);
    expect(sent.body).toEqual({ kind: "text", text: phi.messageText });
    const list = await patient.conversations.list.query({ limit: 10 });
    expect(list.totalUnread).toBe(1);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ unreadCount: 1, conversation: { id: conversationId } });
    expect(list.people.map((p) => p.id).sort()).toEqual(
      [api.world.a.doctor.id, api.world.a.patient.id].sort(),
    );
  });

  it("conversations.open, conversations.history and conversations.markRead (MSG-3)", async () => {
    const { doctor, patient, conversationId } = await patientConversation();
    for (const n of [1, 2, 3])
      await doctor.messages.send.mutate({ conversationId, clientId: `m-${n}`, text: `note ${n}` });
    const opened = await patient.conversations.open.query({ conversationId });
    expect(opened.composer.text).toEqual({ allowed: true });
    expect(opened.participants).toHaveLength(2);
    const page = await patient.conversations.history.query({ conversationId, limit: 2 });
    expect(page.messages.map((m) => m.seq)).toEqual([3, 2]);
    expect(page.nextBeforeSeq).toBe(2);
    const older = await patient.conversations.history.query({
      conversationId,
      limit: 2,
      beforeSeq: page.nextBeforeSeq,
    });
    expect(older.messages.map((m) => m.seq)).toEqual([1]);
    expect(await patient.conversations.markRead.mutate({ conversationId, upToSeq: 3 })).toEqual({
      readUpToSeq: 3,
    });
    expect((await patient.conversations.list.query({ limit: 10 })).totalUnread).toBe(0);
  });

  it("DEL-1: messages.delete by the sender leaves a content-free record (DEL-3)", async () => {
    const { doctor, patient, conversationId } = await patientConversation();
    const sent = await doctor.messages.send.mutate({
      conversationId,
      clientId: "m-1",
      text: phi.messageText,
    });
    expect(await doctor.messages.delete.mutate({ messageId: sent.id })).toEqual({ conversationId });
    const page = await patient.conversations.history.query({ conversationId, limit: 10 });
    expect(page.messages[0]?.body.kind).toBe("deleted");
    expect(JSON.stringify(api.memory.dump())).not.toContain(phi.textMarker);
  });

  it("FILE-1..3: files.requestUpload, files.confirmUpload and files.download", async () => {
    const { doctor, patient, conversationId } = await patientConversation();
    const request = await patient.files.requestUpload.mutate({
      conversationId,
      clientId: "f-1",
      fileName: phi.fileName,
      sizeBytes: 2048,
      contentType: "application/pdf",
    });
    expect(request.upload.method).toBe("PUT");
    expect(request.upload.url).not.toContain(phi.fileMarker); // FILE-4: the name is never the key
    api.blobs.simulateUpload(request.upload.url, { sizeBytes: 2048, detectedType: "application/pdf" });
    const confirmed = await patient.files.confirmUpload.mutate({ fileId: request.fileId });
    if (confirmed.state !== "shared") throw new Error("expected the file shared at once");
    const message = confirmed.message;
    expect(message.body).toMatchObject({ kind: "file", file: { id: request.fileId, name: phi.fileName } });
    const link = await doctor.files.download.mutate({ fileId: request.fileId });
    expect(link.method).toBe("GET");
    expect(new Date(link.expiresAt).getTime() - api.clock.now().getTime()).toBeLessThanOrEqual(5 * 60 * 1000);
  });

  it("ELIG-3: conversations.startTeam and conversations.addParticipant", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const team = await doctor.conversations.startTeam.mutate({ staffIds: [a.nurse.id] });
    expect(team).toMatchObject({ created: true, conversation: { kind: "team" } });
    const { conversationId } = await patientConversation();
    expect(await doctor.conversations.addParticipant.mutate({ conversationId, staffId: a.nurse.id })).toEqual(
      {
        added: true,
      },
    );
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    expect((await nurse.conversations.open.query({ conversationId })).conversation.id).toBe(conversationId);
  });

  it("ELIG-2: people.availablePractitioners, conversations.patientStart and people.setAvailability", async () => {
    const { a } = api.world;
    const patient = api.clientAs(a.sessionOf(a.patient));
    const offered = await patient.people.availablePractitioners.query();
    expect(offered.map((p) => p.id)).toEqual([a.doctor.id]); // not the one who is away
    const started = await patient.conversations.patientStart.mutate({ practitionerId: a.doctor.id });
    expect(started.created).toBe(true);
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    expect(await doctor.people.setAvailability.mutate({ available: false })).toEqual({ available: false });
    expect(await patient.people.availablePractitioners.query()).toEqual([]);
    // Still in the conversation and able to reply (ELIG-2).
    await doctor.messages.send.mutate({
      conversationId: started.conversation.id,
      clientId: "r-1",
      text: "Hi",
    });
  });

  it("START-2/ELIG-1: people.search lists patients, the unreachable ones marked with the reason", async () => {
    const { a } = api.world;
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    const found = await nurse.people.search.mutate({ kind: "patient", query: "Ophel", limit: 10 });
    expect(found.map((r) => r.person.id)).toEqual([a.patient.id]);
    expect(found[0]?.startChat).toEqual({ allowed: true });
    const invited = await nurse.people.search.mutate({ kind: "patient", query: "Ivy", limit: 10 });
    expect(invited[0]?.startChat).toMatchObject({ allowed: false, reason: "PATIENT_PORTAL_INACTIVE" });
    const staff = await nurse.people.search.mutate({ kind: "staff", query: "Dora", limit: 10 });
    expect(staff.map((r) => r.person.id)).toEqual([a.doctor.id]);
  });

  it("ENT-1: clinic.entitlements says what the clinic can do now, with reasons", async () => {
    const { a } = api.world;
    const view = await api.clientAs(a.sessionOf(a.nurse)).clinic.entitlements.query();
    expect(view).toMatchObject({
      clinicName: "Maple Clinic",
      plan: "premium",
      entitlements: {
        patientFileSharing: { allowed: true },
        patientMessaging: { allowed: true },
        teamChat: { allowed: true },
      },
      minimumPlan: { teamChat: "premium" },
    });
  });

  it("ENT-2/ENT-4: clinic.changeSettings and clinic.changePlan take effect at once; the plan needed is named", async () => {
    const { a } = api.world;
    const admin = api.clientAs(a.sessionOf(a.admin));
    const changed = await admin.clinic.changeSettings.mutate({
      smsNotificationsEnabled: true,
      idleTimeoutMinutes: 10,
    });
    expect(changed.settings).toMatchObject({ smsNotificationsEnabled: true, idleTimeoutMinutes: 10 });
    expect((await admin.clinic.changePlan.mutate({ plan: "starter" })).plan).toBe("starter");
    await admin.clinic.changeSettings.mutate({ teamChatEnabled: false });
    const view = await admin.clinic.entitlements.query();
    expect(view.entitlements.teamChat).toEqual({
      allowed: false,
      reason: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
    const refused = await refusal(admin.clinic.changeSettings.mutate({ teamChatEnabled: true }));
    expect(refused.data).toMatchObject({
      code: "FORBIDDEN",
      domainCode: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
    expect(refused.message).toBe("Your plan doesn't include this. Upgrade to Premium to use it.");
  });

  it("portal.chat shows Chat to a patient only while the clinic offers it", async () => {
    const { a } = api.world;
    const patient = api.clientAs(a.sessionOf(a.patient));
    expect(await patient.portal.chat.query()).toMatchObject({
      clinicName: "Maple Clinic",
      chatAvailable: true,
    });
    await api.clientAs(a.sessionOf(a.admin)).clinic.changeSettings.mutate({ patientChatEnabled: false });
    const off = await patient.portal.chat.query();
    expect(off.chatAvailable).toBe(false);
    expect(off.composer.text).toMatchObject({ allowed: false, reason: "PATIENT_CHAT_OFF" });
  });

  it("domain refusals arrive as the table's sentence: PATIENT_PORTAL_INACTIVE", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const refused = await refusal(doctor.conversations.startWithPatient.mutate({ patientId: a.invited.id }));
    expect(refused.data).toMatchObject({
      code: "PRECONDITION_FAILED",
      httpStatus: 412,
      domainCode: "PATIENT_PORTAL_INACTIVE",
    });
    expect(refused.message).toBe(
      "This patient has no active Patient Portal account yet. Invite them to the portal to chat.",
    );
  });
});
