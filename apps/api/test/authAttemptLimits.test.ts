import type { Patient } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../src/auth/totp";
import { type AuthApi, type Browser, failure, password, startAuthApi } from "./support/authApi";
import { testUuid } from "./support/fakes";
import { enrolStaff, signInStaff } from "./support/signInFlows";

// ACC-3 on the real server and the real PostgreSQL: a burst of concurrent attempts from one
// address gets no more checks than the limit (5 per email, 20 per address in 15 minutes), and
// an attempt past the limit is refused even when it is right and the checks of the burst have
// not finished yet.

/** How many times the server looked at a password (the email's accounts) or a token, and a gate that holds those looks. */
const checks = { passwords: 0, tokens: 0 };
let gate: Promise<void> | null = null;

let api: AuthApi;
let doctor: Browser;
let totpSecret: string;
beforeAll(async () => {
  api = await startAuthApi({
    wrapStore: (store) => ({
      ...store,
      // Every password check starts with the email's accounts, every token check with its invitation.
      async signInCandidates(kind, email) {
        checks.passwords++;
        await gate;
        return store.signInCandidates(kind, email);
      },
      async invitationByTokenHash(hash) {
        checks.tokens++;
        await gate;
        return store.invitationByTokenHash(hash);
      },
      async staffInvitationByTokenHash(hash) {
        checks.tokens++;
        await gate;
        return store.staffInvitationByTokenHash(hash);
      },
    }),
  });
  doctor = api.browser();
  ({ secret: totpSecret } = await enrolStaff(api, doctor, api.world.a.doctor));
});
afterAll(async () => {
  await api.close();
});

/** Lets every earlier attempt of this file leave the 15-minute window, and starts counting afresh. */
function freshWindow() {
  api.clock.advance(16 * 60_000);
  checks.passwords = 0;
  checks.tokens = 0;
}

/** What a call answered: its status, or its refusal's code. */
const answerOf = (call: Promise<unknown>): Promise<string> =>
  call.then(
    (result) => String((result as { status?: string }).status ?? "ok"),
    async () => String((await failure(call)).domainCode),
  );

function tally(answers: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) counts[answer] = (counts[answer] ?? 0) + 1;
  return counts;
}

async function until(condition: () => boolean) {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

/**
 * Starts `count` attempts at once with the checks held, waits until the ones the limit lets
 * through are held at their check and every other one is answered, and gives back the release.
 */
async function heldBurst(
  count: number,
  attempt: () => Promise<unknown>,
  checked: () => number,
  limit: number,
) {
  let release = () => {};
  gate = new Promise((resolve) => {
    release = resolve;
  });
  let answered = 0;
  const answers = Array.from({ length: count }, () =>
    answerOf(attempt()).finally(() => {
      answered++;
    }),
  );
  await until(() => checked() === limit && answered === count - limit);
  return {
    async finish() {
      release();
      gate = null;
      return tally(await Promise.all(answers));
    },
  };
}

async function auditedFailures(subjectId: string, reason: string): Promise<number> {
  const rows = await sql<{ n: number }>`select count(*)::int as n from audit_log
    where action = 'auth.sign_in_failed' and subject_id = ${subjectId} and reason = ${reason}`.execute(
    api.owner,
  );
  return rows.rows[0]?.n ?? 0;
}

describe("attempts are counted before they are checked, atomically (ACC-3)", () => {
  it("ACC-3: 100 concurrent wrong sign-ins for one email from one address: 5 reach the password check, 95 are refused unchecked", async () => {
    freshWindow();
    const { a } = api.world;
    const audited = await auditedFailures(a.patient.id, "PASSWORD");
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        answerOf(
          api.browser().trpc.auth.signIn.mutate({
            audience: "patient",
            email: a.patient.email!,
            password: `guess ${i}`,
          }),
        ),
      ),
    );
    expect(tally(answers)).toEqual({ SIGN_IN_FAILED: 5, TOO_MANY_ATTEMPTS: 95 });
    expect(checks.passwords).toBe(5);
    expect((await auditedFailures(a.patient.id, "PASSWORD")) - audited).toBe(5);
  });

  it("ACC-3: the right password inside a burst past the limit is refused, while the burst's checks are still under way", async () => {
    freshWindow();
    const { a } = api.world;
    const email = a.patient.email!;
    const burst = await heldBurst(
      30,
      () => api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password: "a wrong guess" }),
      () => checks.passwords,
      5,
    );
    const browser = api.browser();
    expect(await answerOf(browser.trpc.auth.signIn.mutate({ audience: "patient", email, password }))).toBe(
      "TOO_MANY_ATTEMPTS",
    );
    expect(await burst.finish()).toEqual({ SIGN_IN_FAILED: 5, TOO_MANY_ATTEMPTS: 25 });
    expect(checks.passwords).toBe(5);
    expect(browser.cookies.size).toBe(0);
    // Still refused for the rest of the window; then the right password signs in.
    expect(
      await answerOf(api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password })),
    ).toBe("TOO_MANY_ATTEMPTS");
    freshWindow();
    expect(
      await answerOf(api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password })),
    ).toBe("signedIn");
  });

  it("ACC-3: a right attempt is taken back once checked: sign-ins one after another never use up the limit", async () => {
    freshWindow();
    const { b } = api.world;
    const answers: string[] = [];
    for (let i = 0; i < 12; i++)
      answers.push(
        await answerOf(
          api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: b.patient.email!, password }),
        ),
      );
    expect(tally(answers)).toEqual({ signedIn: 12 });
    const counted = await sql<{ n: number }>`select count(*)::int as n from sign_in_failures`.execute(
      api.owner,
    );
    expect(counted.rows[0]?.n).toBe(0);
  });

  it("ACC-3: 100 concurrent wrong sign-ins for 100 emails from one address: 20 reach the password check", async () => {
    freshWindow();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        answerOf(
          api.browser().trpc.auth.signIn.mutate({
            audience: "patient",
            email: i === 0 ? api.world.a.patient.email! : `guess${i}@mail.test`,
            password: "a wrong guess",
          }),
        ),
      ),
    );
    expect(tally(answers)).toEqual({ SIGN_IN_FAILED: 20, TOO_MANY_ATTEMPTS: 80 });
    expect(checks.passwords).toBe(20);
  });

  it("ACC-3: 100 concurrent wrong TOTP codes with the right password: 5 are checked; the right code past the limit is refused", async () => {
    freshWindow();
    const { a } = api.world;
    const base = { audience: "staff", email: a.doctor.email, password } as const;
    const right = () => totpCode(totpSecret, api.clock.now());
    const wrong = () => String((Number(right()) + 500_000) % 1_000_000).padStart(6, "0");
    const audited = await auditedFailures(a.doctor.id, "CODE");
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        answerOf(api.browser().trpc.auth.signIn.mutate({ ...base, code: wrong() })),
      ),
    );
    expect(tally(answers)).toEqual({ CODE_INVALID: 5, TOO_MANY_ATTEMPTS: 95 });
    expect(checks.passwords).toBe(5);
    expect((await auditedFailures(a.doctor.id, "CODE")) - audited).toBe(5);

    freshWindow();
    const burst = await heldBurst(
      30,
      () => api.browser().trpc.auth.signIn.mutate({ ...base, code: wrong() }),
      () => checks.passwords,
      5,
    );
    expect(await answerOf(api.browser().trpc.auth.signIn.mutate({ ...base, code: right() }))).toBe(
      "TOO_MANY_ATTEMPTS",
    );
    expect(await burst.finish()).toEqual({ CODE_INVALID: 5, TOO_MANY_ATTEMPTS: 25 });
    freshWindow();
    expect(await answerOf(api.browser().trpc.auth.signIn.mutate({ ...base, code: right() }))).toBe(
      "signedIn",
    );
  });

  it("ACC-3: 100 concurrent wrong invitation tokens from one address: 20 are looked up; the right token past the limit is refused", async () => {
    const patient: Patient = {
      id: testUuid("ac3", 1),
      clinicId: api.world.a.clinicId,
      name: "Tara Token",
      email: "tara.token@mail.test",
      mobilePhone: null,
      smsConsent: false,
      portalAccount: "none",
    };
    await api.uow.run(patient.clinicId, (s) => s.directory.savePatient(patient));
    freshWindow();
    await signInStaff(api, doctor, api.world.a.doctor, totpSecret);
    await doctor.trpc.patients.invite.mutate({ patientId: patient.id });
    const token = /invitation#([A-Za-z0-9_-]{43})/.exec(api.mailer.sent.at(-1)?.text ?? "")?.[1];
    if (!token) throw new Error("no invitation link");
    const newPassword = "my own portal password";
    const guess = (i: number) => `${"G".repeat(40)}${String(i).padStart(3, "0")}`;

    freshWindow();
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        answerOf(api.browser().trpc.auth.acceptInvitation.mutate({ token: guess(i), password: newPassword })),
      ),
    );
    expect(tally(answers)).toEqual({ INVITATION_INVALID: 20, TOO_MANY_ATTEMPTS: 80 });
    expect(checks.tokens).toBe(20);

    freshWindow();
    const burst = await heldBurst(
      30,
      () => api.browser().trpc.auth.acceptInvitation.mutate({ token: guess(1), password: newPassword }),
      () => checks.tokens,
      20,
    );
    expect(
      await answerOf(api.browser().trpc.auth.acceptInvitation.mutate({ token, password: newPassword })),
    ).toBe("TOO_MANY_ATTEMPTS");
    expect(await burst.finish()).toEqual({ INVITATION_INVALID: 20, TOO_MANY_ATTEMPTS: 10 });
    freshWindow();
    expect(
      await answerOf(api.browser().trpc.auth.acceptInvitation.mutate({ token, password: newPassword })),
    ).toBe("signedIn");
  });

  it("ACC-3: 100 concurrent wrong staff invitation tokens from one address: 20 are looked up; the right token past the limit is refused (ADMIN-2)", async () => {
    const admin = api.browser();
    await enrolStaff(api, admin, api.world.a.admin);
    await admin.trpc.team.invite.mutate({ email: "sam.token@team.test", role: "staff" });
    const token = /staff\/invitation#([A-Za-z0-9_-]{43})/.exec(api.mailer.sent.at(-1)?.text ?? "")?.[1];
    if (!token) throw new Error("no staff invitation link");
    const accept = (t: string) =>
      api.browser().trpc.auth.acceptStaffInvitation.mutate({
        token: t,
        name: "Sam Token",
        password: "sam's long password",
      });
    const guess = (i: number) => `${"S".repeat(40)}${String(i).padStart(3, "0")}`;

    freshWindow();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => answerOf(accept(guess(i)))));
    expect(tally(answers)).toEqual({ INVITATION_INVALID: 20, TOO_MANY_ATTEMPTS: 80 });
    expect(checks.tokens).toBe(20);

    freshWindow();
    const burst = await heldBurst(
      30,
      () => accept(guess(1)),
      () => checks.tokens,
      20,
    );
    expect(await answerOf(accept(token))).toBe("TOO_MANY_ATTEMPTS");
    expect(await burst.finish()).toEqual({ INVITATION_INVALID: 20, TOO_MANY_ATTEMPTS: 10 });
    freshWindow();
    expect(await answerOf(accept(token))).toBe("ok");
  });
});
