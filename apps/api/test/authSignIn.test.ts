import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../src/auth/totp";
import { type AuthApi, failure, password, startAuthApi } from "./support/authApi";
import { enrolStaff, signInPatient, signInStaff } from "./support/signInFlows";

let api: AuthApi;
beforeAll(async () => {
  api = await startAuthApi();
});
afterAll(async () => {
  await api.close();
});

const signInFailed = "The email or password isn't right. Check them and try again.";

async function auditOf(clinicId: string, action: string) {
  const rows = await sql<{
    actor_id: string | null;
    subject_id: string | null;
    reason: string | null;
    ip: string | null;
    outcome: string;
  }>`
    select actor_id, subject_id, reason, ip, outcome from audit_log
    where clinic_id = ${clinicId} and action = ${action} order by id`.execute(api.owner);
  return rows.rows;
}

describe("staff sign-in (SEC-1)", () => {
  it("SEC-1: a staff member without TOTP is taken through enrolment: the secret once, a wrong code refused, then 10 recovery codes once", async () => {
    const { a } = api.world;
    const browser = api.browser();
    const first = await browser.trpc.auth.signIn.mutate({
      audience: "staff",
      email: a.nurse.email,
      password,
    });
    expect(first).toMatchObject({ status: "totpEnrolmentRequired" });
    if (first.status !== "totpEnrolmentRequired") return;
    expect(first.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.uri).toMatch(/^otpauth:\/\/totp\/.*secret=[A-Z2-7]{32}/);
    expect(first.uri).toContain("Maple%20Clinic");
    expect(browser.cookies.size).toBe(0); // no session before the second factor

    const wrong = String((Number(totpCode(first.secret, api.clock.now())) + 1) % 1_000_000).padStart(6, "0");
    expect(
      await failure(
        browser.trpc.auth.signIn.mutate({ audience: "staff", email: a.nurse.email, password, code: wrong }),
      ),
    ).toMatchObject({ code: "UNAUTHORIZED", domainCode: "CODE_INVALID" });
    expect(browser.cookies.size).toBe(0);

    const done = await browser.trpc.auth.signIn.mutate({
      audience: "staff",
      email: a.nurse.email,
      password,
      code: totpCode(first.secret, api.clock.now()),
    });
    expect(done.status).toBe("signedIn");
    const codes = done.status === "signedIn" ? (done.recoveryCodes ?? []) : [];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(await browser.trpc.auth.me.query()).toMatchObject({
      person: { kind: "staff", id: a.nurse.id },
      role: "staff",
      totpEnabled: true,
    });

    // Stored: TOTP on, the codes only as digests.
    const row = await sql<{ totp_enabled: boolean; hashes: string[] }>`
      select totp_enabled, recovery_code_hashes as hashes from auth_credentials
      where person_id = ${a.nurse.id}`.execute(api.owner);
    expect(row.rows[0]?.totp_enabled).toBe(true);
    expect(row.rows[0]?.hashes).toHaveLength(10);
    for (const code of codes) expect(JSON.stringify(row.rows[0])).not.toContain(code.replace("-", ""));

    // The next sign-in asks for a code, not for enrolment, and the recovery codes are never shown again.
    api.clock.advance(30_000);
    const again = await api
      .browser()
      .trpc.auth.signIn.mutate({ audience: "staff", email: a.nurse.email, password });
    expect(again).toEqual({ status: "codeRequired" });
    expect(await auditOf(a.clinicId, "auth.totp_enrol")).toEqual([
      { actor_id: a.nurse.id, subject_id: null, reason: null, ip: "127.0.0.1", outcome: "success" },
    ]);
  });

  it("SEC-1: later staff sign-ins need the current TOTP code: missing asks for it, wrong is refused, a used one cannot be replayed", async () => {
    const { a } = api.world;
    const { secret } = await enrolStaff(api, api.browser(), a.doctor);
    api.clock.advance(30_000);
    const browser = api.browser();
    const base = { audience: "staff", email: a.doctor.email, password } as const;
    expect(await browser.trpc.auth.signIn.mutate(base)).toEqual({ status: "codeRequired" });
    expect(browser.cookies.size).toBe(0);
    expect(await failure(browser.trpc.auth.signIn.mutate({ ...base, code: "000000" }))).toMatchObject({
      domainCode: "CODE_INVALID",
    });
    const code = totpCode(secret, api.clock.now());
    expect(await browser.trpc.auth.signIn.mutate({ ...base, code })).toMatchObject({ status: "signedIn" });
    expect(await failure(api.browser().trpc.auth.signIn.mutate({ ...base, code }))).toMatchObject({
      domainCode: "CODE_INVALID",
    });
    expect(browser.cookies.size).toBe(1);
  });

  it("SEC-1: a recovery code replaces the TOTP code once, and only once", async () => {
    const { a } = api.world;
    const { recoveryCodes } = await enrolStaff(api, api.browser(), a.awayDoctor);
    const base = { audience: "staff", email: a.awayDoctor.email, password } as const;
    const code = recoveryCodes[3]!;
    const browser = api.browser();
    // Typed loosely: lower case, a space instead of the dash.
    const typed = code.toLowerCase().replace("-", " ");
    expect(await browser.trpc.auth.signIn.mutate({ ...base, code: typed })).toMatchObject({
      status: "signedIn",
    });
    expect(await failure(api.browser().trpc.auth.signIn.mutate({ ...base, code }))).toMatchObject({
      domainCode: "CODE_INVALID",
    });
    expect(await api.browser().trpc.auth.signIn.mutate({ ...base, code: recoveryCodes[4]! })).toMatchObject({
      status: "signedIn",
    });
  });

  it("SEC-1: passwords are stored as argon2id hashes, never as typed", async () => {
    const rows = await sql<{ hash: string }>`select password_hash as hash from auth_credentials`.execute(
      api.owner,
    );
    expect(rows.rows.length).toBeGreaterThan(5);
    for (const row of rows.rows) {
      expect(row.hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
      expect(row.hash).not.toContain(password);
    }
    const dump = await sql<{
      dump: string;
    }>`select string_agg(t::text, ' ') as dump from auth_credentials t`.execute(api.owner);
    expect(dump.rows[0]?.dump).not.toContain(password);
  });

  it("ELIG-6 ACC-4: a deactivated staff member cannot sign in, and the right password answers exactly like a wrong one", async () => {
    const { a } = api.world;
    const right = await failure(
      api.browser().trpc.auth.signIn.mutate({ audience: "staff", email: a.former.email, password }),
    );
    expect(right).toEqual({ code: "UNAUTHORIZED", domainCode: "SIGN_IN_FAILED", message: signInFailed });
    const wrong = await failure(
      api.browser().trpc.auth.signIn.mutate({ audience: "staff", email: a.former.email, password: "wrong" }),
    );
    expect(wrong).toEqual(right);
    expect(
      (await auditOf(a.clinicId, "auth.sign_in_failed")).filter((r) => r.subject_id === a.former.id),
    ).toEqual([
      {
        actor_id: null,
        subject_id: a.former.id,
        reason: "STAFF_INACTIVE",
        ip: "127.0.0.1",
        outcome: "denied",
      },
      { actor_id: null, subject_id: a.former.id, reason: "PASSWORD", ip: "127.0.0.1", outcome: "denied" },
    ]);
  });
});

describe("patient sign-in (SEC-1)", () => {
  it("SEC-1: a patient signs in with a password alone, may turn TOTP on, and then needs a code too", async () => {
    const { b } = api.world;
    const browser = api.browser();
    await signInPatient(browser, b.patient.email!);
    expect(await browser.trpc.auth.me.query()).toMatchObject({
      person: { kind: "patient", id: b.patient.id },
      role: null,
      clinic: { id: b.clinicId, name: "Birch Clinic", timeZone: "UTC" },
      totpEnabled: false,
    });
    const { secret, uri } = await browser.trpc.auth.startTotpEnrolment.mutate({});
    expect(uri).toContain(`secret=${secret}`);
    expect(await failure(browser.trpc.auth.confirmTotpEnrolment.mutate({ code: "000000" }))).toMatchObject({
      domainCode: "CODE_INVALID",
    });
    const { recoveryCodes } = await browser.trpc.auth.confirmTotpEnrolment.mutate({
      code: totpCode(secret, api.clock.now()),
    });
    expect(recoveryCodes).toHaveLength(10);
    expect(await failure(browser.trpc.auth.startTotpEnrolment.mutate({}))).toMatchObject({
      code: "CONFLICT",
      domainCode: "TOTP_ALREADY_ON",
    });

    api.clock.advance(30_000);
    const base = { audience: "patient", email: b.patient.email!, password } as const;
    expect(await api.browser().trpc.auth.signIn.mutate(base)).toEqual({ status: "codeRequired" });
    expect(
      await api.browser().trpc.auth.signIn.mutate({ ...base, code: totpCode(secret, api.clock.now()) }),
    ).toMatchObject({ status: "signedIn" });
  });

  it("SEC-1: staff and patient accounts are apart: a staff email does not sign in to the portal", async () => {
    const { a } = api.world;
    expect(
      await failure(
        api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: a.admin.email, password }),
      ),
    ).toMatchObject({ domainCode: "SIGN_IN_FAILED" });
  });
});

describe("failures (SEC-1, SEC-3, SEC-5)", () => {
  it("SEC-1: a wrong password and an unknown email get the same answer; the failure is audited in the clinic only when the account is known (SEC-3)", async () => {
    const { a } = api.world;
    const before = await auditOf(a.clinicId, "auth.sign_in_failed");
    const wrong = await failure(
      api
        .browser()
        .trpc.auth.signIn.mutate({ audience: "patient", email: a.patient.email!, password: "not it at all" }),
    );
    const unknown = await failure(
      api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: "nobody@mail.test", password }),
    );
    expect(wrong).toEqual({ code: "UNAUTHORIZED", domainCode: "SIGN_IN_FAILED", message: signInFailed });
    expect(unknown).toEqual(wrong);
    const after = await auditOf(a.clinicId, "auth.sign_in_failed");
    expect(after.slice(before.length)).toEqual([
      { actor_id: null, subject_id: a.patient.id, reason: "PASSWORD", ip: "127.0.0.1", outcome: "denied" },
    ]);
  });

  it("SEC-3: a successful sign-in is audited with the person and the address; sign-out too", async () => {
    const { a } = api.world;
    const browser = api.browser();
    const before = (await auditOf(a.clinicId, "auth.sign_in")).length;
    await signInPatient(browser, a.patient.email!.toUpperCase()); // the email is compared normalised
    await browser.trpc.auth.signOut.mutate({});
    expect((await auditOf(a.clinicId, "auth.sign_in")).slice(before)).toEqual([
      { actor_id: a.patient.id, subject_id: null, reason: null, ip: "127.0.0.1", outcome: "success" },
    ]);
    expect((await auditOf(a.clinicId, "auth.sign_out")).at(-1)).toEqual({
      actor_id: a.patient.id,
      subject_id: null,
      reason: null,
      ip: "127.0.0.1",
      outcome: "success",
    });
  });

  it("SEC-1 ELIG-5: one email in two clinics: the password picks the account; the same password in both asks which clinic", async () => {
    const { a, b } = api.world;
    const shared = "Locum.Doctor@clinic.test";
    await api.auth.credentials.provision({
      clinicId: a.clinicId,
      person: { kind: "staff", id: a.doctor.id },
      email: shared,
      password: "maple clinic password",
    });
    await api.auth.credentials.provision({
      clinicId: b.clinicId,
      person: { kind: "staff", id: b.doctor.id },
      email: shared,
      password: "birch clinic password",
    });
    const birch = await api.browser().trpc.auth.signIn.mutate({
      audience: "staff",
      email: shared,
      password: "birch clinic password",
    });
    expect(birch.status).toBe("totpEnrolmentRequired"); // b's doctor, not yet enrolled

    await api.auth.credentials.provision({
      clinicId: b.clinicId,
      person: { kind: "staff", id: b.doctor.id },
      email: shared,
      password: "maple clinic password",
    });
    const choose = await api.browser().trpc.auth.signIn.mutate({
      audience: "staff",
      email: shared,
      password: "maple clinic password",
    });
    expect(choose).toEqual({
      status: "chooseClinic",
      clinics: [
        { id: b.clinicId, name: "Birch Clinic" },
        { id: a.clinicId, name: "Maple Clinic" },
      ],
    });
    const chosen = await api.browser().trpc.auth.signIn.mutate({
      audience: "staff",
      email: shared,
      password: "maple clinic password",
      clinicId: b.clinicId,
    });
    // ACC-4: b's doctor's enrolment from the first sign-in is still pending: kept, and not shown again.
    expect(chosen).toEqual({ status: "codeRequired" });
  });

  it("SEC-5: sign-in leaves no password, code, email or token in the logs", async () => {
    const { a } = api.world;
    const browser = api.browser();
    const { secret, recoveryCodes } = await enrolStaff(api, browser, a.admin);
    await failure(
      api
        .browser()
        .trpc.auth.signIn.mutate({ audience: "staff", email: a.admin.email, password: "wrong one!" }),
    );
    await signInStaff(api, api.browser(), a.admin, secret);
    await browser.trpc.auth.signOut.mutate({});
    const logs = api.logs.join("");
    expect(logs).toContain("auth.signIn");
    for (const secretValue of [
      password,
      "wrong one!",
      a.admin.email,
      secret,
      ...recoveryCodes,
      ...browser.setCookies,
    ])
      expect(logs).not.toContain(secretValue);
    expect(logs).not.toMatch(/clinic_chat_session=[A-Za-z0-9_-]{43}/);
  });
});
