import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { totpCode } from "../src/auth/totp";
import { type AuthApi, authOrigin, type Browser, failure, password, startAuthApi } from "./support/authApi";
import { enrolStaff, signInPatient } from "./support/signInFlows";

// ACC-1 and ACC-2 over real HTTP on real PostgreSQL, with the emails a recording mailer captured.

let api: AuthApi;
beforeAll(async () => {
  api = await startAuthApi();
});
afterAll(async () => {
  await api.close();
});
// Each test starts past the rate limits' window and every earlier session's idle timeout.
beforeEach(() => {
  api.clock.advance(60 * 60_000);
});

const newPassword = "a brand new passphrase";
const sessionEnded = { code: "UNAUTHORIZED", message: "Your session has ended. Please sign in again." };

/** Asks for a reset link and returns the answer and the token of the email that arrives (if any). */
async function requestLink(audience: "staff" | "patient", email: string) {
  const before = api.mailer.sent.length;
  const answer = await api.browser().trpc.auth.requestPasswordReset.mutate({ audience, email });
  await vi.waitFor(() => expect(api.mailer.sent.length).toBe(before + 1));
  const mail = api.mailer.sent[before]!;
  const token = /reset-password#([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1];
  if (!token) throw new Error("no link in the email");
  return { answer, mail, token };
}

async function auditOf(personId: string, actions: string[]) {
  const rows = await sql<{ action: string; reason: string | null; outcome: string }>`
    select action, reason, outcome from audit_log
    where actor_id = ${personId} and action = any(${actions}) order by id`.execute(api.owner);
  return rows.rows;
}

describe("ACC-1: password reset by email", () => {
  it("ACC-1: the emailed link sets a new password once, ends every session, and is branded with the clinic", async () => {
    const { a } = api.world;
    const email = a.patient.email!;
    const signedIn: Browser[] = [api.browser(), api.browser()];
    for (const browser of signedIn) await signInPatient(browser, email);

    const { answer, mail, token } = await requestLink("patient", email);
    expect(answer).toEqual({ requested: true });
    expect(mail.to).toBe(email.toLowerCase());
    expect(mail.subject).toBe("Reset your Maple Clinic password");
    expect(mail.text).toContain(`${authOrigin}/portal/reset-password#${token}`);
    expect(mail.text).toContain("30 minutes");
    expect(mail.text).not.toContain(a.patient.name);
    // Only the token's SHA-256 is stored, never the token.
    const stored = await sql<{ digest: number; plain: number }>`select
        count(*) filter (where token_hash = sha256(convert_to(${token}, 'UTF8')))::int as digest,
        count(*) filter (where token_hash = convert_to(${token}, 'UTF8'))::int as plain
      from password_resets`.execute(api.owner);
    expect(stored.rows[0]).toEqual({ digest: 1, plain: 0 });

    const anon = api.browser();
    expect(await anon.trpc.auth.resetPassword.mutate({ token, password: newPassword })).toEqual({
      audience: "patient",
    });
    for (const browser of signedIn)
      expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    expect(anon.cookies.size).toBe(0); // nobody is signed in by the link itself

    // Reused: refused; the old password no longer works, the new one does.
    const reused = await failure(
      anon.trpc.auth.resetPassword.mutate({ token, password: "yet another passphrase" }),
    );
    expect(reused).toMatchObject({ code: "NOT_FOUND", domainCode: "RESET_LINK_INVALID" });
    expect(
      await failure(api.browser().trpc.auth.signIn.mutate({ audience: "patient", email, password })),
    ).toMatchObject({ domainCode: "SIGN_IN_FAILED" });
    await signInPatient(api.browser(), email, newPassword);

    expect(
      await auditOf(a.patient.id, ["auth.password_reset_request", "auth.password_reset", "session.ended"]),
    ).toEqual([
      { action: "auth.password_reset_request", reason: null, outcome: "success" },
      { action: "session.ended", reason: "password_reset", outcome: "success" },
      { action: "session.ended", reason: "password_reset", outcome: "success" },
      { action: "auth.password_reset", reason: null, outcome: "success" },
    ]);
  });

  it("ACC-1: a link older than 30 minutes is refused and changes nothing", async () => {
    const { b } = api.world;
    const { token } = await requestLink("patient", b.patient.email!);
    api.clock.advance(30 * 60_000);
    const expired = await failure(
      api.browser().trpc.auth.resetPassword.mutate({ token, password: newPassword }),
    );
    expect(expired).toMatchObject({ code: "NOT_FOUND", domainCode: "RESET_LINK_INVALID" });
    await signInPatient(api.browser(), b.patient.email!, password);
    const forged = await failure(
      api.browser().trpc.auth.resetPassword.mutate({ token: "A".repeat(43), password: newPassword }),
    );
    expect(forged).toMatchObject({ code: "NOT_FOUND", domainCode: "RESET_LINK_INVALID" });
  });

  it("ACC-1: an unknown email gets exactly the answer a known one gets, and no email or link", async () => {
    const { a } = api.world;
    const rows = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from password_resets`.execute(api.owner)).rows[0]
        ?.n;
    const before = { mails: api.mailer.sent.length, links: await rows() };
    const unknown = await fetch(`${api.url}/trpc/auth.requestPasswordReset`, {
      method: "POST",
      headers: { origin: authOrigin, "content-type": "application/json" },
      body: JSON.stringify({ audience: "staff", email: "nobody-at-all@clinic.test" }),
    });
    const unknownBody = await unknown.text();
    expect(await rows()).toBe(before.links);
    const known = await fetch(`${api.url}/trpc/auth.requestPasswordReset`, {
      method: "POST",
      headers: { origin: authOrigin, "content-type": "application/json" },
      body: JSON.stringify({ audience: "staff", email: a.nurse.email }),
    });
    expect({ status: unknown.status, body: unknownBody }).toEqual({
      status: known.status,
      body: await known.text(),
    });
    await vi.waitFor(() => expect(api.mailer.sent.length).toBe(before.mails + 1));
    expect(api.mailer.sent.at(-1)?.to).toBe(a.nurse.email.toLowerCase());
    expect(await rows()).toBe((before.links ?? 0) + 1);
  });

  it("ACC-1 ACC-3: requests are counted before anything is looked up: the fourth for one email in the window is refused, known or not", async () => {
    const { a } = api.world;
    for (const email of [a.admin.email, "nobody-else@clinic.test"]) {
      const browser = api.browser();
      for (let i = 0; i < 3; i++)
        expect(await browser.trpc.auth.requestPasswordReset.mutate({ audience: "staff", email })).toEqual({
          requested: true,
        });
      const refused = await failure(
        browser.trpc.auth.requestPasswordReset.mutate({ audience: "staff", email }),
      );
      expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", domainCode: "TOO_MANY_ATTEMPTS" });
    }
    // 100 at once for a fresh email: no more than the limit get through (ACC-3).
    api.clock.advance(60 * 60_000);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        api
          .browser()
          .trpc.auth.requestPasswordReset.mutate({ audience: "staff", email: "burst@clinic.test" })
          .then(
            () => "ok",
            () => "refused",
          ),
      ),
    );
    expect(answers.filter((x) => x === "ok")).toHaveLength(3);
  });

  it("ACC-1: staff who reset their password still need their second factor", async () => {
    const { a } = api.world;
    const browser = api.browser();
    const { secret } = await enrolStaff(api, browser, a.awayDoctor);
    const { mail, token } = await requestLink("staff", a.awayDoctor.email);
    expect(mail.text).toContain(`${authOrigin}/staff/reset-password#${token}`);
    expect(await api.browser().trpc.auth.resetPassword.mutate({ token, password: newPassword })).toEqual({
      audience: "staff",
    });
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    const next = api.browser();
    const first = await next.trpc.auth.signIn.mutate({
      audience: "staff",
      email: a.awayDoctor.email,
      password: newPassword,
    });
    expect(first.status).toBe("codeRequired");
    api.clock.advance(30_000);
    const done = await next.trpc.auth.signIn.mutate({
      audience: "staff",
      email: a.awayDoctor.email,
      password: newPassword,
      code: totpCode(secret, api.clock.now()),
    });
    expect(done.status).toBe("signedIn");
  });

  it("ACC-1: the emailed link brings the person back to the page they were going to; a path off the app is refused and sends nothing", async () => {
    const { a } = api.world;
    const before = api.mailer.sent.length;
    const next = `/staff/appointments/${a.clinicId}`;
    await api
      .browser()
      .trpc.auth.requestPasswordReset.mutate({ audience: "staff", email: a.nurse.email, next });
    await vi.waitFor(() => expect(api.mailer.sent.length).toBe(before + 1));
    const mail = api.mailer.sent[before]!;
    const link = /https?:\/\/\S+\/staff\/reset-password\S*/.exec(mail.text)?.[0];
    if (!link) throw new Error("no link in the email");
    const url = new URL(link);
    expect(url.origin).toBe(authOrigin);
    expect(url.searchParams.get("next")).toBe(next);
    expect(url.hash).toMatch(/^#[A-Za-z0-9_-]{43}$/);
    expect(mail.html).toContain(`reset-password?next=${encodeURIComponent(next)}#`);

    const refusedPaths = [
      "https://evil.example/staff/chat",
      "//evil.example/staff/chat",
      "/\\evil.example/staff",
      "/staff\\..\\evil",
      "/staff/../portal/chat",
      "/staff/%2e%2e/portal/chat",
      "/staff//evil.example",
      "/portal/chat",
      "javascript:alert(1)",
      "/staff/chat#x",
      "/staff/chat two",
      "staff/chat",
    ];
    for (const path of refusedPaths) {
      const refused = await failure(
        api
          .browser()
          .trpc.auth.requestPasswordReset.mutate({ audience: "staff", email: a.nurse.email, next: path }),
      );
      expect(refused, path).toMatchObject({ code: "BAD_REQUEST" });
    }
    // A patient's link returns to the portal only.
    expect(
      await failure(
        api.browser().trpc.auth.requestPasswordReset.mutate({
          audience: "patient",
          email: a.patient.email!,
          next: "/staff/chat",
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.mailer.sent.length).toBe(before + 1);
  });

  it("ACC-1 ACC-4: a deactivated account gets no link, and its requester hears the same answer", async () => {
    const { a } = api.world;
    const before = api.mailer.sent.length;
    expect(
      await api.browser().trpc.auth.requestPasswordReset.mutate({ audience: "staff", email: a.former.email }),
    ).toEqual({ requested: true });
    // A known, active account's email arrives after it: the deactivated one's never does.
    await requestLink("staff", a.doctor.email);
    expect(api.mailer.sent.slice(before).map((m) => m.to)).toEqual([a.doctor.email.toLowerCase()]);
  });
});

describe("ACC-2: change password", () => {
  it("ACC-2: a wrong current password is refused and audited; the right one changes it, ends the other sessions and keeps this one", async () => {
    const { b } = api.world;
    const email = b.patient.email!;
    const current = api.browser();
    const other = api.browser();
    await signInPatient(current, email);
    await signInPatient(other, email);

    const wrong = await failure(
      current.trpc.auth.changePassword.mutate({ currentPassword: "not my password", newPassword }),
    );
    expect(wrong).toMatchObject({ code: "BAD_REQUEST", domainCode: "CURRENT_PASSWORD_WRONG" });
    expect((await other.trpc.auth.me.query()).person.id).toBe(b.patient.id);
    const short = await failure(
      current.trpc.auth.changePassword.mutate({ currentPassword: password, newPassword: "short" }),
    );
    expect(short.domainCode).toBe("PASSWORD_LENGTH");

    expect(await current.trpc.auth.changePassword.mutate({ currentPassword: password, newPassword })).toEqual(
      {
        sessionsEnded: 1,
      },
    );
    expect((await current.trpc.auth.me.query()).person.id).toBe(b.patient.id);
    expect(await failure(other.trpc.auth.me.query())).toMatchObject(sessionEnded);
    await signInPatient(api.browser(), email, newPassword);
    expect(await auditOf(b.patient.id, ["auth.password_change", "session.ended"])).toEqual([
      { action: "auth.password_change", reason: "CURRENT_PASSWORD_WRONG", outcome: "denied" },
      { action: "session.ended", reason: "password_changed", outcome: "success" },
      { action: "auth.password_change", reason: null, outcome: "success" },
    ]);
  });

  it("ACC-2 ACC-3: wrong current passwords count against the sign-in limit", async () => {
    const { b } = api.world;
    const browser = api.browser();
    await enrolStaff(api, browser, b.nurse);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(
        (
          await failure(
            browser.trpc.auth.changePassword.mutate({ currentPassword: `wrong ${i}`, newPassword }),
          )
        ).code,
      );
    expect(answers).toEqual([...Array(5).fill("BAD_REQUEST"), "TOO_MANY_REQUESTS"]);
  });
});
