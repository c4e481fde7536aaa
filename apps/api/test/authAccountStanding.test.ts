import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../src/auth/totp";
import { type AuthApi, failure, password, startAuthApi } from "./support/authApi";

// ACC-4 on the real server and the real PostgreSQL: a pending TOTP enrolment is never replaced
// by another sign-in, and an account that cannot sign in answers exactly like a wrong password
// until password and second factor are both proven.

let api: AuthApi;
beforeAll(async () => {
  api = await startAuthApi();
});
afterAll(async () => {
  await api.close();
});

const minutes = (n: number) => n * 60_000;

/** Lets every earlier attempt leave the rate limit's window, so each test starts with its own 5. */
const freshWindow = () => api.clock.advance(minutes(16));

/** The person's stored TOTP state as sign-in's store reads it; the row itself never holds the secret in plain text (REC-1). */
async function storedSecret(personId: string) {
  const rows = await sql<{ clinic_id: string; person_kind: "staff" | "patient"; totp_secret: string | null }>`
    select clinic_id, person_kind, totp_secret from auth_credentials where person_id = ${personId}`.execute(
    api.owner,
  );
  const row = rows.rows[0];
  if (!row) return undefined;
  const credentials = await api.authStore.run(row.clinic_id, (s) =>
    s.credentials.get({ kind: row.person_kind, id: personId }),
  );
  const secret = credentials?.totpSecret ?? null;
  if (secret !== null) expect(row.totp_secret).not.toContain(secret);
  return { totp_secret: secret, totp_enabled: credentials?.totpEnabled ?? false };
}

const answerOf = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    (result) => result,
    async () => failure(call),
  );

describe("a pending TOTP enrolment is kept (ACC-4)", () => {
  it("ACC-4: a second password-only sign-in neither replaces nor sees the pending secret: it is asked for the code, and the first secret's code completes enrolment", async () => {
    freshWindow();
    const { a } = api.world;
    const base = { audience: "staff", email: a.nurse.email, password } as const;
    const first = await api.browser().trpc.auth.signIn.mutate(base);
    if (first.status !== "totpEnrolmentRequired") throw new Error(`expected enrolment, got ${first.status}`);
    api.clock.advance(minutes(2));
    expect(await api.browser().trpc.auth.signIn.mutate(base)).toEqual({ status: "codeRequired" });
    expect(await storedSecret(a.nurse.id)).toEqual({ totp_secret: first.secret, totp_enabled: false });
    const done = await api.browser().trpc.auth.signIn.mutate({
      ...base,
      code: totpCode(first.secret, api.clock.now()),
    });
    expect(done).toMatchObject({ status: "signedIn" });
    expect(await storedSecret(a.nurse.id)).toEqual({ totp_secret: first.secret, totp_enabled: true });
  });

  it("ACC-4: of 5 first sign-ins at once, exactly one is shown a secret, and it is the one kept", async () => {
    freshWindow();
    const { a } = api.world;
    const base = { audience: "staff", email: a.admin.email, password } as const;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => api.browser().trpc.auth.signIn.mutate(base)),
    );
    const shown = outcomes.flatMap((o) => (o.status === "totpEnrolmentRequired" ? [o.secret] : []));
    expect(shown).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "codeRequired")).toHaveLength(4);
    expect(await storedSecret(a.admin.id)).toEqual({ totp_secret: shown[0], totp_enabled: false });
  });

  it("ACC-4: a pending enrolment runs out after 10 minutes; then a sign-in starts a new one, and the old secret's code no longer enrols", async () => {
    freshWindow();
    const { b } = api.world;
    const base = { audience: "staff", email: b.admin.email, password } as const;
    const first = await api.browser().trpc.auth.signIn.mutate(base);
    if (first.status !== "totpEnrolmentRequired") throw new Error(`expected enrolment, got ${first.status}`);
    api.clock.advance(minutes(10) - 1);
    expect(await api.browser().trpc.auth.signIn.mutate(base)).toEqual({ status: "codeRequired" });
    api.clock.advance(1);
    const second = await api.browser().trpc.auth.signIn.mutate(base);
    if (second.status !== "totpEnrolmentRequired")
      throw new Error(`expected enrolment, got ${second.status}`);
    expect(second.secret).not.toBe(first.secret);
    expect(
      await failure(
        api.browser().trpc.auth.signIn.mutate({ ...base, code: totpCode(first.secret, api.clock.now()) }),
      ),
    ).toMatchObject({ domainCode: "CODE_INVALID" });
    expect(
      await api
        .browser()
        .trpc.auth.signIn.mutate({ ...base, code: totpCode(second.secret, api.clock.now()) }),
    ).toMatchObject({ status: "signedIn" });
  });
});

describe("an account that cannot sign in reads like a wrong password (ACC-4)", () => {
  it("ACC-4 ELIG-6: deactivated staff with TOTP: the right password, alone or with a wrong code, answers like a wrong one; with the right code it is told, and nothing opens", async () => {
    freshWindow();
    const { a } = api.world;
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    await api.auth.credentials.provision({
      clinicId: a.clinicId,
      person: { kind: "staff", id: a.former.id },
      email: a.former.email,
      password,
      totpSecret: secret,
    });
    const base = { audience: "staff", email: a.former.email } as const;
    const wrongPassword = await answerOf(
      api.browser().trpc.auth.signIn.mutate({ ...base, password: "not it" }),
    );
    expect(wrongPassword).toEqual({
      code: "UNAUTHORIZED",
      domainCode: "SIGN_IN_FAILED",
      message: "The email or password isn't right. Check them and try again.",
    });
    expect(await answerOf(api.browser().trpc.auth.signIn.mutate({ ...base, password }))).toEqual(
      wrongPassword,
    );
    const wrongCode = String((Number(totpCode(secret, api.clock.now())) + 500_000) % 1_000_000).padStart(
      6,
      "0",
    );
    expect(
      await answerOf(api.browser().trpc.auth.signIn.mutate({ ...base, password, code: wrongCode })),
    ).toEqual(wrongPassword);
    const browser = api.browser();
    expect(
      await answerOf(
        browser.trpc.auth.signIn.mutate({ ...base, password, code: totpCode(secret, api.clock.now()) }),
      ),
    ).toEqual({
      code: "FORBIDDEN",
      domainCode: "ACCOUNT_UNAVAILABLE",
      message: "This account can't sign in right now. Contact your clinic.",
    });
    expect(browser.cookies.size).toBe(0);
  });

  it("ACC-4 ELIG-6: deactivated staff without TOTP and a disabled portal account: the right password answers exactly like a wrong one", async () => {
    freshWindow();
    const { b } = api.world;
    const staff = { audience: "staff", email: b.former.email } as const;
    expect(await answerOf(api.browser().trpc.auth.signIn.mutate({ ...staff, password }))).toEqual(
      await answerOf(api.browser().trpc.auth.signIn.mutate({ ...staff, password: "not it" })),
    );
    await api.uow.run(b.clinicId, (s) =>
      s.directory.savePatient({ ...b.patient, portalAccount: "disabled" }),
    );
    try {
      const patient = { audience: "patient", email: b.patient.email! } as const;
      const right = await answerOf(api.browser().trpc.auth.signIn.mutate({ ...patient, password }));
      expect(right).toMatchObject({ domainCode: "SIGN_IN_FAILED" });
      expect(right).toEqual(
        await answerOf(api.browser().trpc.auth.signIn.mutate({ ...patient, password: "not it" })),
      );
    } finally {
      await api.uow.run(b.clinicId, (s) => s.directory.savePatient(b.patient));
    }
  });

  it("ACC-4 ELIG-5: one email and password in two clinics, deactivated in one: no choice of clinic is offered, the other account goes on", async () => {
    freshWindow();
    const { a, b } = api.world;
    const shared = "shared.standing@clinic.test";
    const sharedPassword = "one password for both clinics";
    for (const [clinicId, id] of [
      [a.clinicId, a.former.id],
      [b.clinicId, b.awayDoctor.id],
    ] as const)
      await api.auth.credentials.provision({
        clinicId,
        person: { kind: "staff", id },
        email: shared,
        password: sharedPassword,
      });
    expect(
      await api
        .browser()
        .trpc.auth.signIn.mutate({ audience: "staff", email: shared, password: sharedPassword }),
    ).toMatchObject({ status: "totpEnrolmentRequired" });
  });
});
