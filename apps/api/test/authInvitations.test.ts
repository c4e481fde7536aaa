import { createHash } from "node:crypto";
import type { Patient } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthApi, type Browser, failure, startAuthApi } from "./support/authApi";
import { testUuid } from "./support/fakes";
import { enrolStaff, signInPatient } from "./support/signInFlows";

let api: AuthApi;
let doctor: Browser;
beforeAll(async () => {
  api = await startAuthApi();
  doctor = api.browser();
  await enrolStaff(api, doctor, api.world.a.doctor);
});
afterAll(async () => {
  await api.close();
});

const days = (n: number) => n * 24 * 60 * 60_000;
const newPassword = "my own portal password";
let next = 50;

/** A new patient of clinic A with no portal account yet. */
async function newPatient(extra: Partial<Patient> = {}): Promise<Patient> {
  const n = next++;
  const patient: Patient = {
    id: testUuid("9a71", n),
    clinicId: api.world.a.clinicId,
    name: `Nora Newcomer${n}`,
    email: `nora${n}@mail.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "none",
    ...extra,
  };
  await api.uow.run(patient.clinicId, (s) => s.directory.savePatient(patient));
  return patient;
}

async function portalState(patient: Patient) {
  return (await api.uow.run(patient.clinicId, (s) => s.directory.patient(patient.id)))?.portalAccount;
}

/** The token in the invitation link of the last email sent. */
function lastInvitationToken(): string {
  const text = api.mailer.sent.at(-1)?.text ?? "";
  const match = /http:\/\/clinic\.test\/portal\/invitation#([A-Za-z0-9_-]{43})/.exec(text);
  if (!match?.[1]) throw new Error("no invitation link in the last email");
  return match[1];
}

describe("Patient Portal invitations (ELIG-1)", () => {
  it("ELIG-1: an invited patient cannot be messaged; after accepting the emailed link they are signed in, active, and can be", async () => {
    const patient = await newPatient();
    expect(
      await failure(doctor.trpc.conversations.startWithPatient.mutate({ patientId: patient.id })),
    ).toMatchObject({ domainCode: "PATIENT_PORTAL_INACTIVE" });

    const invited = await doctor.trpc.patients.invite.mutate({ patientId: patient.id });
    expect(invited).toEqual({
      invited: true,
      expiresAt: new Date(api.clock.now().getTime() + days(7)).toISOString(),
    });
    expect(await portalState(patient)).toBe("invited");
    expect(
      await failure(doctor.trpc.conversations.startWithPatient.mutate({ patientId: patient.id })),
    ).toMatchObject({ domainCode: "PATIENT_PORTAL_INACTIVE" });

    // NOTIF-4-like: the clinic's name and a link; no patient name, nothing about their care.
    const email = api.mailer.sent.at(-1)!;
    expect(email.to).toBe(patient.email);
    expect(email.subject).toBe("Your invitation to the Maple Clinic Patient Portal");
    expect(email.text).toContain("Maple Clinic invited you");
    for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain("Nora");
    const token = lastInvitationToken();
    expect(email.html).toContain(`#${token}`);

    // Stored as a digest only.
    const stored = await sql<{
      dump: string;
    }>`select string_agg(t::text, ' ') as dump from portal_invitations t`.execute(api.owner);
    expect(stored.rows[0]?.dump).not.toContain(token);
    expect(stored.rows[0]?.dump).toContain(createHash("sha256").update(token).digest("hex"));

    const browser = api.browser();
    expect(
      await failure(browser.trpc.auth.acceptInvitation.mutate({ token, password: "too short" })),
    ).toMatchObject({ code: "BAD_REQUEST", message: "Choose a password of 12 to 128 characters." });
    expect(await portalState(patient)).toBe("invited");

    expect(await browser.trpc.auth.acceptInvitation.mutate({ token, password: newPassword })).toEqual({
      status: "signedIn",
    });
    expect(await portalState(patient)).toBe("active");
    expect(await browser.trpc.auth.me.query()).toMatchObject({ person: { kind: "patient", id: patient.id } });

    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: patient.id,
    });
    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "welcome",
      text: "Welcome!",
    });
    const list = await browser.trpc.conversations.list.query({ limit: 10 });
    expect(list.items.map((c) => c.conversation.id)).toEqual([conversation.id]);
    expect(list.totalUnread).toBe(1);

    // Single use; the password signs in from now on.
    expect(
      await failure(
        api.browser().trpc.auth.acceptInvitation.mutate({ token, password: "another password!" }),
      ),
    ).toMatchObject({
      code: "NOT_FOUND",
      domainCode: "INVITATION_INVALID",
      message: "This invitation link has expired or was already used. Ask your clinic to send you a new one.",
    });
    await signInPatient(api.browser(), patient.email!, newPassword);

    const audit = await sql<{ action: string; actor_id: string; subject_id: string | null }>`
      select action, actor_id, subject_id from audit_log
      where action in ('portal.invite', 'portal.activate') and subject_id = ${patient.id} order by id`.execute(
      api.owner,
    );
    expect(audit.rows).toEqual([
      { action: "portal.invite", actor_id: api.world.a.doctor.id, subject_id: patient.id },
      { action: "portal.activate", actor_id: patient.id, subject_id: patient.id },
    ]);
  });

  it("ELIG-1: an invitation link expires after 7 days, and a new invitation replaces the old link", async () => {
    const patient = await newPatient();
    await doctor.trpc.patients.invite.mutate({ patientId: patient.id });
    const first = lastInvitationToken();
    await doctor.trpc.patients.invite.mutate({ patientId: patient.id });
    const second = lastInvitationToken();
    expect(second).not.toBe(first);
    expect(
      await failure(api.browser().trpc.auth.acceptInvitation.mutate({ token: first, password: newPassword })),
    ).toMatchObject({ domainCode: "INVITATION_INVALID" });

    api.clock.advance(days(7));
    expect(
      await failure(
        api.browser().trpc.auth.acceptInvitation.mutate({ token: second, password: newPassword }),
      ),
    ).toMatchObject({ domainCode: "INVITATION_INVALID" });
    expect(await portalState(patient)).toBe("invited");
    api.clock.advance(-days(7));
    // The doctor's session would have ended meanwhile; keep this test's clock where it was.
  });

  it("ELIG-1: patients without an email, with an active account, or whose email another portal account uses are not invited", async () => {
    const noEmail = await newPatient({ email: null });
    expect(await failure(doctor.trpc.patients.invite.mutate({ patientId: noEmail.id }))).toEqual({
      code: "PRECONDITION_FAILED",
      domainCode: "PATIENT_EMAIL_MISSING",
      message: "Add the patient's email address before inviting them to the Patient Portal.",
    });
    expect(
      await failure(doctor.trpc.patients.invite.mutate({ patientId: api.world.a.patient.id })),
    ).toMatchObject({ code: "CONFLICT", domainCode: "PORTAL_ALREADY_ACTIVE" });
    const sibling = await newPatient({ email: api.world.a.patient.email });
    expect(await failure(doctor.trpc.patients.invite.mutate({ patientId: sibling.id }))).toMatchObject({
      code: "CONFLICT",
      domainCode: "PORTAL_EMAIL_IN_USE",
    });
    for (const p of [noEmail, sibling]) expect(await portalState(p)).toBe("none");
  });

  it("ELIG-5: a patient of another clinic answers like an unknown one", async () => {
    const foreign = await failure(doctor.trpc.patients.invite.mutate({ patientId: api.world.b.invited.id }));
    const unknown = await failure(doctor.trpc.patients.invite.mutate({ patientId: testUuid("0000dead", 9) }));
    expect(foreign).toMatchObject({ code: "NOT_FOUND", domainCode: "NOT_FOUND" });
    expect(unknown).toEqual(foreign);
  });

  it("ELIG-1: when the email cannot be sent nothing changes, and the staff member is told to try again", async () => {
    const patient = await newPatient();
    const sent = api.mailer.sent.length;
    api.mailer.failNext = true;
    expect(await failure(doctor.trpc.patients.invite.mutate({ patientId: patient.id }))).toEqual({
      code: "SERVICE_UNAVAILABLE",
      domainCode: "INVITATION_NOT_SENT",
      message: "We couldn't send the invitation email just now. Try again in a few minutes.",
    });
    expect(api.mailer.sent.length).toBe(sent);
    expect(await portalState(patient)).toBe("none");
    const rows = await sql<{ n: number }>`select count(*)::int as n from portal_invitations
      where patient_id = ${patient.id}`.execute(api.owner);
    expect(rows.rows[0]?.n).toBe(0);
  });

  it("SEC-1: guessed invitation tokens count against the address's sign-in limit", async () => {
    for (let i = 0; i < 20; i++) {
      await failure(
        api
          .browser()
          .trpc.auth.acceptInvitation.mutate({ token: `${"A".repeat(40)}${100 + i}`, password: newPassword }),
      );
    }
    expect(
      await failure(
        api.browser().trpc.auth.acceptInvitation.mutate({ token: "B".repeat(43), password: newPassword }),
      ),
    ).toMatchObject({ code: "TOO_MANY_REQUESTS", domainCode: "TOO_MANY_ATTEMPTS" });
  });
});
