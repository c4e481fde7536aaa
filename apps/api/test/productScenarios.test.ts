import type { Appointment, Patient, Plan } from "@clinic-chat/domain";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testUuid } from "./support/fakes";
import {
  type ProductBrowser,
  productOrigin,
  refusalOf,
  shareFile,
  startTestProduct,
  type TestProduct,
  tinyPdf,
} from "./support/product";

/**
 * Issue 6's scenarios on the real product: startProduct on real PostgreSQL, real sign-in, real
 * HTTP, embedded object storage and .eml mail. One product for the file; every test leaves the
 * clinics on Premium with patient chat on, as seeded.
 */
let t: TestProduct;
let admin: ProductBrowser;
let doctor: ProductBrowser;
let awayDoctor: ProductBrowser;
let nurse: ProductBrowser;
let patient: ProductBrowser;
let bAdmin: ProductBrowser;
let bPatient: ProductBrowser;

beforeAll(async () => {
  t = await startTestProduct();
  const { a, b } = t.world;
  admin = await t.signInStaff(a.admin);
  doctor = await t.signInStaff(a.doctor);
  awayDoctor = await t.signInStaff(a.awayDoctor);
  nurse = await t.signInStaff(a.nurse);
  patient = await t.signInPatient(a.patient);
  bAdmin = await t.signInStaff(b.admin);
  bPatient = await t.signInPatient(b.patient);
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(async () => {
  await admin.trpc.clinic.changePlan.mutate({ plan: "premium" });
  await admin.trpc.clinic.changeSettings.mutate({
    patientChatEnabled: true,
    patientFileSharingEnabled: true,
    patientMessagingEnabled: true,
    teamChatEnabled: true,
  });
});

let nextPatient = 60;
/** A new patient of clinic A (portal account active unless told otherwise). */
async function newPatient(extra: Partial<Patient> = {}): Promise<Patient> {
  const n = nextPatient++;
  const created: Patient = {
    id: testUuid("9a71", n),
    clinicId: t.world.a.clinicId,
    name: `Nora Newcomer${n}`,
    email: `nora${n}@mail.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
    ...extra,
  };
  await t.product.domain.uow.run(created.clinicId, (s) => s.directory.savePatient(created));
  return created;
}

/** The doctor's conversation with clinic A's seeded patient (created once, then reopened: START-1). */
async function patientConversation(): Promise<string> {
  const started = await doctor.trpc.conversations.startWithPatient.mutate({
    patientId: t.world.a.patient.id,
  });
  return started.conversation.id;
}

describe("plans, settings and entitlements (ENT-1, ENT-2, ENT-4)", () => {
  const table: Record<Plan, { files: boolean; messages: boolean; team: boolean }> = {
    starter: { files: true, messages: false, team: false },
    enhanced: { files: true, messages: true, team: false },
    premium: { files: true, messages: true, team: true },
  };

  it.each(Object.entries(table) as [Plan, (typeof table)[Plan]][])(
    "ENT-1: on %s the clinic can do exactly what the plan table says, in the entitlements and in practice",
    async (plan, can) => {
      const conversationId = await patientConversation();
      await admin.trpc.clinic.changePlan.mutate({ plan });
      const view = await nurse.trpc.clinic.entitlements.query();
      expect(view.plan).toBe(plan);
      expect(view.entitlements.patientFileSharing.allowed).toBe(can.files);
      expect(view.entitlements.patientMessaging.allowed).toBe(can.messages);
      expect(view.entitlements.teamChat.allowed).toBe(can.team);
      for (const [capability, allowed] of [
        ["patientMessaging", can.messages],
        ["teamChat", can.team],
      ] as const) {
        if (!allowed)
          expect(view.entitlements[capability]).toMatchObject({
            reason: "PLAN_REQUIRED",
            details: { plan: capability === "teamChat" ? "premium" : "enhanced" },
          });
      }

      const send = doctor.trpc.messages.send.mutate({
        conversationId,
        clientId: `ent1-${plan}`,
        text: "Hello",
      });
      if (can.messages) await send;
      else
        expect(await refusalOf(send)).toMatchObject({
          code: "FORBIDDEN",
          domainCode: "PLAN_REQUIRED",
          details: { plan: "enhanced" },
        });
      const upload = await shareFile(doctor, conversationId, {
        name: "plan.pdf",
        bytes: tinyPdf,
        contentType: "application/pdf",
        clientId: `ent1-f-${plan}`,
      });
      expect((await upload.confirm()).body.kind).toBe("file");
      const team = nurse.trpc.conversations.startTeam.mutate({ staffIds: [t.world.a.doctor.id] });
      if (can.team) expect((await team).conversation.kind).toBe("team");
      else expect(await refusalOf(team)).toMatchObject({ code: "FORBIDDEN", domainCode: "PLAN_REQUIRED" });

      // The portal composer says the same to the patient.
      const portal = await patient.trpc.portal.chat.query();
      expect(portal.chatAvailable).toBe(true);
      expect(portal.composer.text.allowed).toBe(can.messages);
      expect(portal.composer.file.allowed).toBe(can.files);
    },
  );

  it("ENT-1 ENT-3: with the patient chat switch off nothing reaches a patient conversation, on any plan, which stays readable; Team Chat is unaffected", async () => {
    const conversationId = await patientConversation();
    await admin.trpc.clinic.changeSettings.mutate({ patientChatEnabled: false });
    const view = await nurse.trpc.clinic.entitlements.query();
    expect(view.entitlements).toMatchObject({
      patientFileSharing: { allowed: false, reason: "PATIENT_CHAT_OFF" },
      patientMessaging: { allowed: false, reason: "PATIENT_CHAT_OFF" },
      teamChat: { allowed: true },
    });
    expect(
      await refusalOf(doctor.trpc.messages.send.mutate({ conversationId, clientId: "off-1", text: "Hello" })),
    ).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(
      await refusalOf(
        doctor.trpc.files.requestUpload.mutate({
          conversationId,
          clientId: "off-f",
          fileName: "a.pdf",
          sizeBytes: tinyPdf.length,
          contentType: "application/pdf",
        }),
      ),
    ).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(
      await refusalOf(patient.trpc.messages.send.mutate({ conversationId, clientId: "off-p", text: "Hi" })),
    ).toMatchObject({ code: "PRECONDITION_FAILED" });
    // ENT-3: patients start nothing while it is off, yet still read their conversation, read-only;
    // staff still read the history.
    expect((await patient.trpc.portal.chat.query()).chatAvailable).toBe(false);
    const paused = await patient.trpc.conversations.open.query({ conversationId });
    expect(paused.conversation.id).toBe(conversationId);
    expect(paused.composer.text).toMatchObject({ allowed: false, reason: "PATIENT_CHAT_OFF" });
    expect(
      (await patient.trpc.conversations.list.query({ limit: 10 })).items.map((i) => i.conversation.id),
    ).toContain(conversationId);
    expect((await doctor.trpc.conversations.open.query({ conversationId })).conversation.id).toBe(
      conversationId,
    );
    expect(
      (await nurse.trpc.conversations.startTeam.mutate({ staffIds: [t.world.a.doctor.id] })).created,
    ).toBe(false);
  });

  it("ENT-2: turning on a setting the plan lacks is refused naming the plan needed; turning it off is always allowed", async () => {
    await admin.trpc.clinic.changePlan.mutate({ plan: "starter" });
    await admin.trpc.clinic.changeSettings.mutate({ teamChatEnabled: false, patientMessagingEnabled: false });
    const team = await refusalOf(admin.trpc.clinic.changeSettings.mutate({ teamChatEnabled: true }));
    expect(team).toMatchObject({
      code: "FORBIDDEN",
      domainCode: "PLAN_REQUIRED",
      details: { plan: "premium" },
    });
    expect(team.message).toBe("Your plan doesn't include this. Upgrade to Premium to use it.");
    const messaging = await refusalOf(
      admin.trpc.clinic.changeSettings.mutate({ patientMessagingEnabled: true }),
    );
    expect(messaging.message).toBe("Your plan doesn't include this. Upgrade to Enhanced to use it.");
    await admin.trpc.clinic.changePlan.mutate({ plan: "enhanced" });
    expect(
      (await admin.trpc.clinic.changeSettings.mutate({ patientMessagingEnabled: true })).settings
        .patientMessagingEnabled,
    ).toBe(true);
    expect(
      (await refusalOf(admin.trpc.clinic.changeSettings.mutate({ teamChatEnabled: true }))).details,
    ).toMatchObject({ plan: "premium" });
  });

  it("ENT-4: plan and setting changes take effect for people already signed in, at their next call", async () => {
    const conversationId = await patientConversation();
    await doctor.trpc.messages.send.mutate({ conversationId, clientId: "ent4-1", text: "Before" });
    await admin.trpc.clinic.changePlan.mutate({ plan: "starter" });
    expect(
      await refusalOf(
        doctor.trpc.messages.send.mutate({ conversationId, clientId: "ent4-2", text: "After" }),
      ),
    ).toMatchObject({ domainCode: "PLAN_REQUIRED" });
    expect((await patient.trpc.portal.chat.query()).composer.text.allowed).toBe(false);
    await admin.trpc.clinic.changePlan.mutate({ plan: "premium" });
    await doctor.trpc.messages.send.mutate({ conversationId, clientId: "ent4-3", text: "Back" });

    await admin.trpc.clinic.changeSettings.mutate({ patientChatEnabled: false });
    expect((await patient.trpc.portal.chat.query()).chatAvailable).toBe(false);
    await admin.trpc.clinic.changeSettings.mutate({ patientChatEnabled: true });
    expect((await patient.trpc.portal.chat.query()).chatAvailable).toBe(true);

    // A session setting too: the idle timeout the signed-in app is told about.
    await admin.trpc.clinic.changeSettings.mutate({ idleTimeoutMinutes: 5 });
    expect((await nurse.trpc.auth.me.query()).idleTimeoutMinutes).toBe(5);
    await admin.trpc.clinic.changeSettings.mutate({ idleTimeoutMinutes: 15 });
    expect((await nurse.trpc.auth.me.query()).idleTimeoutMinutes).toBe(15);
  });
});

describe("eligibility (ELIG-1, ELIG-2, ELIG-5)", () => {
  it("ELIG-1: a patient whose portal account is only invited cannot be messaged until they accept the emailed invitation", async () => {
    const newcomer = await newPatient({ portalAccount: "none" });
    expect(
      await refusalOf(nurse.trpc.conversations.startWithPatient.mutate({ patientId: newcomer.id })),
    ).toMatchObject({ code: "PRECONDITION_FAILED", domainCode: "PATIENT_PORTAL_INACTIVE" });

    await nurse.trpc.patients.invite.mutate({ patientId: newcomer.id });
    const invitation = await t.waitForMail((mail) => mail.text.includes(`To: ${newcomer.email}`));
    const link = new RegExp(`${productOrigin}/portal/invitation#([A-Za-z0-9_-]{43})`).exec(invitation.text);
    expect(link?.[1]).toBeDefined();

    // Invited is not active: still nothing can be sent, and the Patient File says why.
    const file = await nurse.trpc.patients.get.query({ patientId: newcomer.id });
    expect(file).toMatchObject({
      portalAccount: "invited",
      startChat: { allowed: false, reason: "PATIENT_PORTAL_INACTIVE" },
    });
    expect(
      await refusalOf(nurse.trpc.conversations.startWithPatient.mutate({ patientId: newcomer.id })),
    ).toMatchObject({ domainCode: "PATIENT_PORTAL_INACTIVE" });

    const portal = t.browser();
    expect(
      await portal.trpc.auth.acceptInvitation.mutate({
        token: link?.[1] ?? "",
        password: "my own portal password",
      }),
    ).toEqual({ status: "signedIn" });
    expect((await nurse.trpc.patients.get.query({ patientId: newcomer.id })).portalAccount).toBe("active");
    const { conversation } = await nurse.trpc.conversations.startWithPatient.mutate({
      patientId: newcomer.id,
    });
    await nurse.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "welcome",
      text: "Welcome",
    });
    const list = await portal.trpc.conversations.list.query({ limit: 10 });
    expect(list.items.map((item) => item.conversation.id)).toEqual([conversation.id]);
    expect(list.totalUnread).toBe(1);
  });

  it("ELIG-2: a practitioner unavailable for chat is not offered in the portal, yet starts chats and replies", async () => {
    const { a } = t.world;
    const offered = await patient.trpc.people.availablePractitioners.query();
    expect(offered.map((p) => p.id)).toEqual([a.doctor.id]);
    expect(
      await refusalOf(patient.trpc.conversations.patientStart.mutate({ practitionerId: a.awayDoctor.id })),
    ).toMatchObject({ code: expect.stringMatching(/^(FORBIDDEN|PRECONDITION_FAILED|NOT_FOUND)$/) });

    const started = await awayDoctor.trpc.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    await awayDoctor.trpc.messages.send.mutate({
      conversationId: started.conversation.id,
      clientId: "away-1",
      text: "I'm away but I saw this.",
    });

    // Switching availability off takes the doctor out of the portal's list at once, not out of the chat.
    expect(await doctor.trpc.people.setAvailability.mutate({ available: false })).toEqual({
      available: false,
    });
    expect(await doctor.trpc.account.settings.query()).toMatchObject({ availableForPatientChat: false });
    expect(await patient.trpc.people.availablePractitioners.query()).toEqual([]);
    const conversationId = await patientConversation();
    await doctor.trpc.messages.send.mutate({ conversationId, clientId: "away-2", text: "Still here." });
    await doctor.trpc.people.setAvailability.mutate({ available: true });
    expect((await patient.trpc.people.availablePractitioners.query()).map((p) => p.id)).toEqual([
      a.doctor.id,
    ]);
  });

  it("ELIG-5: clinic B's lists never show clinic A's people, appointments, conversations or audit records", async () => {
    const { a } = t.world;
    await patientConversation();
    const startsAt = new Date(Date.now() + 3_600_000);
    await t.product.domain.uow.run(a.clinicId, (s) =>
      s.appointments.save({
        id: testUuid("a990", 70),
        clinicId: a.clinicId,
        patientId: a.patient.id,
        practitionerId: a.doctor.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 1_800_000),
        status: "scheduled",
      }),
    );
    const aIds = new Set([
      a.clinicId,
      a.patient.id,
      a.invited.id,
      a.doctor.id,
      a.admin.id,
      a.nurse.id,
      a.awayDoctor.id,
      testUuid("a990", 70),
    ]);
    const seen = [
      await bAdmin.trpc.patients.list.mutate({ limit: 100 }),
      await bAdmin.trpc.appointments.list.query({
        from: new Date(Date.now() - 86_400_000).toISOString(),
        to: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        limit: 500,
      }),
      await bAdmin.trpc.conversations.list.query({ limit: 100 }),
      await bAdmin.trpc.audit.list.query({ limit: 200 }),
      await bAdmin.trpc.people.search.mutate({ kind: "patient", query: "Ophelia", limit: 50 }),
      await bAdmin.trpc.people.search.mutate({ kind: "staff", query: "Dora", limit: 50 }),
      await bPatient.trpc.people.availablePractitioners.query(),
      await bPatient.trpc.conversations.list.query({ limit: 100 }),
    ];
    const text = JSON.stringify(seen);
    for (const id of aIds) expect(text).not.toContain(id);
    expect(text).not.toContain("Ophelia");
    expect(text).not.toContain("Maple Clinic");
  });
});

describe("starting chats and sending (START-1, MSG-1)", () => {
  it("START-1: the chat page, Appointment Details and the Patient File all open the same single conversation", async () => {
    const { a } = t.world;
    const someone = await newPatient({ name: "Stella Startone" });
    const appointment: Appointment = {
      id: testUuid("a990", 80),
      clinicId: a.clinicId,
      patientId: someone.id,
      practitionerId: a.doctor.id,
      startsAt: new Date(Date.now() + 7_200_000),
      endsAt: new Date(Date.now() + 9_000_000),
      status: "scheduled",
    };
    await t.product.domain.uow.run(a.clinicId, (s) => s.appointments.save(appointment));

    // 1. Chat page › + › Patient › search by name › Start Chat.
    const found = await nurse.trpc.people.search.mutate({ kind: "patient", query: "Stella Start", limit: 5 });
    const fromSearch = found.find((r) => r.person.id === someone.id);
    expect(fromSearch?.startChat).toEqual({ allowed: true });
    const first = await nurse.trpc.conversations.startWithPatient.mutate({
      patientId: fromSearch?.person.id ?? "",
    });
    expect(first.created).toBe(true);
    // 2. Appointment Details › chat icon.
    const details = await doctor.trpc.appointments.get.query({ appointmentId: appointment.id });
    expect(details.startChat).toEqual({ allowed: true });
    const second = await doctor.trpc.conversations.startWithPatient.mutate({ patientId: details.patient.id });
    // 3. Patient File › chat icon.
    const file = await admin.trpc.patients.get.query({ patientId: someone.id });
    const third = await admin.trpc.conversations.startWithPatient.mutate({ patientId: file.person.id });

    expect([second, third].map((r) => [r.created, r.conversation.id])).toEqual([
      [false, first.conversation.id],
      [false, first.conversation.id],
    ]);
    const rows = await t.owner
      .selectFrom("conversations")
      .select("id")
      .where("patient_id", "=", someone.id)
      .execute();
    expect(rows.map((r) => r.id)).toEqual([first.conversation.id]);
    const opened = await admin.trpc.conversations.open.query({ conversationId: first.conversation.id });
    expect(opened.participants.map((p) => p.id).sort()).toEqual(
      [someone.id, a.nurse.id, a.doctor.id, a.admin.id].sort(),
    );
  });

  it("MSG-1: a retried send returns the same message and stores one", async () => {
    const conversationId = await patientConversation();
    const send = () =>
      doctor.trpc.messages.send.mutate({ conversationId, clientId: "msg1-retry", text: "Once" });
    const one = await send();
    const two = await send();
    const three = await patient.trpc.conversations.history
      .query({ conversationId, limit: 1 })
      .then(() => send());
    expect(new Set([one.id, two.id, three.id]).size).toBe(1);
    const stored = await t.owner
      .selectFrom("messages")
      .select("id")
      .where("conversation_id", "=", conversationId)
      .where("client_id", "=", "msg1-retry")
      .execute();
    expect(stored).toHaveLength(1);
    const history = await patient.trpc.conversations.history.query({ conversationId, limit: 100 });
    expect(history.messages.filter((m) => m.clientId === "msg1-retry")).toHaveLength(1);
  });
});
