import type { Appointment } from "@clinic-chat/domain";
import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/api";
import { testUuid } from "./support/fakes";

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  await api.close();
});

const hour = 60 * 60 * 1000;

/** An appointment of clinic A's patient with the doctor, `hoursFromNow` after the fake clock's now. */
async function appointment(n: number, hoursFromNow: number, patientId?: string): Promise<Appointment> {
  const { a } = api.world;
  const startsAt = new Date(api.clock.now().getTime() + hoursFromNow * hour);
  const saved: Appointment = {
    id: testUuid("a990", n),
    clinicId: a.clinicId,
    patientId: patientId ?? a.patient.id,
    practitionerId: a.doctor.id,
    startsAt,
    endsAt: new Date(startsAt.getTime() + hour / 2),
    status: "scheduled",
  };
  await api.memory.run(a.clinicId, (s) => s.appointments.save(saved));
  return saved;
}

async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("expected a tRPC error");
  return { message: error.message, data: error.data as { code: string; domainCode: unknown } };
}

describe("appointments (§3 entry point 2)", () => {
  it("START-1: appointments.list shows the week's appointments with the chat icon's state; appointments.get opens one; both lead to the same chat", async () => {
    const { a, b } = api.world;
    const first = await appointment(1, 2);
    await appointment(2, 26, a.invited.id);
    await appointment(3, 24 * 40); // outside the range asked for
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    const from = api.clock.now().toISOString();
    const to = new Date(api.clock.now().getTime() + 7 * 24 * hour).toISOString();
    const list = await nurse.appointments.list.query({ from, to, limit: 50 });
    expect(list.map((x) => x.id)).toEqual([first.id, testUuid("a990", 2)]);
    expect(list[0]).toMatchObject({
      startsAt: first.startsAt.toISOString(), // no transformer: dates travel as ISO strings
      patient: { kind: "patient", id: a.patient.id },
      practitioner: { kind: "staff", id: a.doctor.id },
      startChat: { allowed: true },
    });
    expect(list[1]?.startChat).toMatchObject({ allowed: false, reason: "PATIENT_PORTAL_INACTIVE" });

    const details = await nurse.appointments.get.query({ appointmentId: first.id });
    expect(details.patient.id).toBe(a.patient.id);
    const fromAppointment = await nurse.conversations.startWithPatient.mutate({
      patientId: details.patient.id,
    });
    const fromChatPage = await nurse.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    expect(fromChatPage).toMatchObject({
      created: false,
      conversation: { id: fromAppointment.conversation.id },
    });

    // ELIG-5: clinic B sees none of it, and A's appointment answers like an unknown one.
    const bNurse = api.clientAs(b.sessionOf(b.nurse));
    expect(await bNurse.appointments.list.query({ from, to, limit: 50 })).toEqual([]);
    const foreign = await refusal(bNurse.appointments.get.query({ appointmentId: first.id }));
    const unknown = await refusal(bNurse.appointments.get.query({ appointmentId: testUuid("a990", 99) }));
    expect(foreign).toEqual(unknown);
    expect(foreign.data).toMatchObject({ code: "NOT_FOUND", domainCode: "NOT_FOUND" });
  });

  it("SEC-6: a range longer than a month or ending before it starts is refused with the domain's explanation; dates must be ISO", async () => {
    const { a } = api.world;
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    const now = api.clock.now().getTime();
    const iso = (ms: number) => new Date(ms).toISOString();
    for (const [from, to] of [
      [iso(now), iso(now + 32 * 24 * hour)],
      [iso(now), iso(now - hour)],
    ] as const) {
      const refused = await refusal(nurse.appointments.list.query({ from, to, limit: 10 }));
      expect(refused.data).toMatchObject({ code: "BAD_REQUEST", domainCode: "INVALID_INPUT" });
    }
    const refused = await refusal(
      nurse.appointments.list.query({ from: "next monday", to: iso(now), limit: 10 }),
    );
    expect(refused.data).toMatchObject({ code: "BAD_REQUEST", domainCode: null });
  });
});

describe("patients (§3 entry point 3)", () => {
  it("patients.list pages through the clinic's patients by name, each with the chat icon's state (ELIG-1)", async () => {
    const { a } = api.world;
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    const first = await nurse.patients.list.mutate({ limit: 1 });
    expect(first.items.map((p) => p.person.name)).toEqual(["Ivy Invited"]);
    expect(first.items[0]).toMatchObject({
      portalAccount: "invited",
      startChat: { allowed: false, reason: "PATIENT_PORTAL_INACTIVE" },
    });
    expect(first.nextCursor).not.toBeNull();
    const second = await nurse.patients.list.mutate({ limit: 1, cursor: first.nextCursor });
    expect(second.items[0]).toMatchObject({
      person: { id: a.patient.id },
      portalAccount: "active",
      startChat: { allowed: true },
    });
    expect(second.nextCursor).toBeNull();
  });

  it("START-1: patients.get opens the Patient File with the patient's appointments; its chat icon reaches the same conversation", async () => {
    const { a, b } = api.world;
    await appointment(1, 3);
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const existing = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    const file = await doctor.patients.get.query({ patientId: a.patient.id });
    expect(file).toMatchObject({
      person: { id: a.patient.id, kind: "patient" },
      email: a.patient.email,
      portalAccount: "active",
      startChat: { allowed: true },
      appointments: [{ id: testUuid("a990", 1) }],
    });
    const again = await doctor.conversations.startWithPatient.mutate({ patientId: file.person.id });
    expect(again).toMatchObject({ created: false, conversation: { id: existing.conversation.id } });

    const bDoctor = api.clientAs(b.sessionOf(b.doctor));
    const foreign = await refusal(bDoctor.patients.get.query({ patientId: a.patient.id }));
    const unknown = await refusal(bDoctor.patients.get.query({ patientId: testUuid("9a71", 999) }));
    expect(foreign).toEqual(unknown);
    expect(foreign.data).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the audit trail (SEC-3)", () => {
  it("SEC-3: audit.list shows an admin the clinic's trail newest first, filtered and paged; reading it is audited", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    const { conversation } = await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id });
    for (const n of [1, 2, 3])
      await doctor.messages.send.mutate({ conversationId: conversation.id, clientId: `m-${n}`, text: "Hi" });
    const admin = api.clientAs(a.sessionOf(a.admin));
    const sends = await admin.audit.list.query({ limit: 2, action: "message.send" });
    expect(sends.items).toHaveLength(2);
    expect(
      sends.items.every((e) => e.action === "message.send" && e.conversationId === conversation.id),
    ).toBe(true);
    expect(sends.items[0]?.actor).toEqual({ kind: "staff", id: a.doctor.id });
    const rest = await admin.audit.list.query({ limit: 2, action: "message.send", cursor: sends.nextCursor });
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const byActor = await admin.audit.list.query({ limit: 50, actorKey: `staff:${a.admin.id}` });
    expect(byActor.items.map((e) => e.action)).toEqual(["audit.read", "audit.read"]);
    const window = await admin.audit.list.query({
      limit: 50,
      from: new Date(api.clock.now().getTime() + hour).toISOString(),
    });
    expect(window.items).toEqual([]);
  });
});

describe("My Account (NOTIF-3, ELIG-2)", () => {
  it("NOTIF-3: account.settings shows my role and preferences; account.setEmailNotifications turns my chat emails off and on", async () => {
    const { a } = api.world;
    const doctor = api.clientAs(a.sessionOf(a.doctor));
    expect(await doctor.account.settings.query()).toEqual({
      role: "practitioner",
      availableForPatientChat: true,
      emailNotifications: true,
    });
    expect(await doctor.account.setEmailNotifications.mutate({ enabled: false })).toEqual({ enabled: false });
    await doctor.people.setAvailability.mutate({ available: false });
    expect(await doctor.account.settings.query()).toEqual({
      role: "practitioner",
      availableForPatientChat: false,
      emailNotifications: false,
    });
    const nurse = api.clientAs(a.sessionOf(a.nurse));
    expect((await nurse.account.settings.query()).emailNotifications).toBe(true);
  });
});
