import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secureCookies } from "../src/auth/createAuth";
import { loadConfig } from "../src/config";
import { type AuthApi, type Browser, failure, password, startAuthApi } from "./support/authApi";
import { enrolStaff, signInPatient } from "./support/signInFlows";

let api: AuthApi;
beforeAll(async () => {
  api = await startAuthApi();
});
afterAll(async () => {
  await api.close();
});

const minutes = (n: number) => n * 60_000;
const sessionEnded = { code: "UNAUTHORIZED", message: "Your session has ended. Please sign in again." };

/** A fresh browser with the clinic A patient signed in. */
async function signedInPatient(): Promise<Browser> {
  const browser = api.browser();
  await signInPatient(browser, api.world.a.patient.email!);
  return browser;
}

async function lastSeen(browser: Browser): Promise<Date> {
  const token = [...browser.cookies.values()][0] ?? "";
  const rows = await sql<{ at: Date }>`select last_seen_at as at from auth_sessions
    where token_hash = ${createHash("sha256").update(token).digest()}`.execute(api.owner);
  return rows.rows[0]!.at;
}

describe("the session cookie (SEC-7)", () => {
  it("SEC-7: httpOnly, SameSite=Strict, Path=/, no Max-Age; not Secure over plain HTTP in tests and development", async () => {
    const browser = await signedInPatient();
    const [cookie] = browser.setCookies;
    expect(cookie).toMatch(/^clinic_chat_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    await browser.trpc.auth.signOut.mutate({});
    expect(browser.setCookies.at(-1)).toBe(
      "clinic_chat_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
    );
    expect(browser.cookies.size).toBe(0);
  });

  it("SEC-7: with the production configuration the cookie is Secure and __Host- prefixed", async () => {
    const production = loadConfig({
      NODE_ENV: "production",
      PUBLIC_URL: "https://chat.clinic.example",
      MALWARE_SCANNING: "off",
      EMBEDDED: "database,storage,mail",
    });
    expect(secureCookies(production)).toBe(true);
    expect(secureCookies(loadConfig({}))).toBe(false);
    const secureApi = await startAuthApi({ config: production });
    try {
      const browser = secureApi.browser();
      await signInPatient(browser, secureApi.world.a.patient.email!);
      expect(browser.setCookies[0]).toMatch(
        /^__Host-clinic_chat_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/,
      );
      expect(await browser.trpc.auth.me.query()).toMatchObject({
        person: { id: secureApi.world.a.patient.id },
      });
      // The development cookie's name means nothing to a production server.
      const token = browser.cookies.get("__Host-clinic_chat_session") ?? "";
      const impostor = secureApi.browser();
      impostor.cookies.set("clinic_chat_session", token);
      expect(await failure(impostor.trpc.auth.me.query())).toMatchObject(sessionEnded);
    } finally {
      await secureApi.close();
    }
  });

  it("SEC-2: the database keeps the token's SHA-256, never the token", async () => {
    const browser = await signedInPatient();
    const token = [...browser.cookies.values()][0]!;
    const dump = await sql<{
      dump: string;
    }>`select string_agg(t::text, ' ') as dump from auth_sessions t`.execute(api.owner);
    expect(dump.rows[0]?.dump).not.toContain(token);
    expect(dump.rows[0]?.dump).not.toContain(Buffer.from(token).toString("hex"));
    expect(dump.rows[0]?.dump).toContain(createHash("sha256").update(token).digest("hex"));
  });

  it("SEC-1: a forged or malformed cookie signs nobody in", async () => {
    for (const value of ["x".repeat(43), "not-a-token", `${"A".repeat(42)}%`, ""]) {
      const browser = api.browser();
      browser.cookies.set("clinic_chat_session", value);
      expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    }
  });
});

describe("automatic logoff (SEC-2)", () => {
  it("SEC-2: a session idle for 15 minutes ends; activity keeps it alive", async () => {
    const browser = await signedInPatient();
    for (let i = 0; i < 4; i++) {
      api.clock.advance(minutes(14));
      expect(await browser.trpc.auth.me.query()).toMatchObject({ idleTimeoutMinutes: 15 });
    }
    api.clock.advance(minutes(15));
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    // Ended for good, even if the clock were to go back.
    api.clock.advance(-minutes(10));
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    api.clock.advance(minutes(10));
  });

  it("SEC-2: the idle timeout is the clinic's setting, and auth.me tells the app", async () => {
    const { a } = api.world;
    const clinic = await api.uow.run(a.clinicId, (s) => s.clinics.get(a.clinicId));
    await api.uow.run(a.clinicId, (s) =>
      s.clinics.saveSettings(a.clinicId, { ...clinic!.settings, idleTimeoutMinutes: 5 }),
    );
    try {
      const browser = await signedInPatient();
      const me = await browser.trpc.auth.me.query();
      expect(me).toMatchObject({ idleTimeoutMinutes: 5, clinic: { name: "Maple Clinic" } });
      expect(me.sessionExpiresAt).toBe(new Date(api.clock.now().getTime() + minutes(12 * 60)).toISOString());
      api.clock.advance(minutes(4));
      await browser.trpc.auth.me.query();
      api.clock.advance(minutes(5));
      expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    } finally {
      await api.uow.run(a.clinicId, (s) => s.clinics.saveSettings(a.clinicId, clinic!.settings));
    }
  });

  it("SEC-2: a session ends 12 hours after sign-in however active it is", async () => {
    const browser = await signedInPatient();
    for (let elapsed = 0; elapsed < 12 * 60 - 10; elapsed += 10) {
      api.clock.advance(minutes(10));
      await browser.trpc.auth.me.query();
    }
    api.clock.advance(minutes(10));
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
  });

  it("SEC-2: last_seen_at is written at most once a minute, so most requests only read", async () => {
    const browser = await signedInPatient();
    const signedInAt = await lastSeen(browser);
    api.clock.advance(20_000);
    await browser.trpc.auth.me.query();
    api.clock.advance(20_000);
    await browser.trpc.auth.me.query();
    expect(await lastSeen(browser)).toEqual(signedInAt);
    api.clock.advance(25_000);
    await browser.trpc.auth.me.query();
    expect(await lastSeen(browser)).toEqual(api.clock.now());
  });
});

describe("checks the person did not cause (SEC-2)", () => {
  it("SEC-2: a live stream's session check peeks: it never keeps an idle session alive", async () => {
    const browser = await signedInPatient();
    const token = [...browser.cookies.values()][0] ?? null;
    const signedInAt = await lastSeen(browser);
    for (let i = 0; i < 7; i++) {
      api.clock.advance(minutes(2));
      expect(await api.auth.sessionResolver.peekToken(token)).toMatchObject({ person: { kind: "patient" } });
    }
    expect(await lastSeen(browser)).toEqual(signedInAt);
    api.clock.advance(minutes(2));
    expect(await api.auth.sessionResolver.peekToken(token)).toBeNull();
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
  });
});

describe("signing out (SEC-2, SEC-3)", () => {
  it("SEC-2: sign out ends this browser's session only; sign out everywhere ends all of the person's, and nobody else's", async () => {
    const { a } = api.world;
    // From a clean slate: the patient's sessions of earlier tests end first.
    await (await signedInPatient()).trpc.auth.signOutEverywhere.mutate({});
    const [first, second, third] = [
      await signedInPatient(),
      await signedInPatient(),
      await signedInPatient(),
    ];
    const other = api.browser();
    await signInPatient(other, api.world.b.patient.email!);

    await first.trpc.auth.signOut.mutate({});
    expect(await failure(first.trpc.auth.me.query())).toMatchObject(sessionEnded);
    expect(await second.trpc.auth.me.query()).toMatchObject({ person: { id: a.patient.id } });

    expect(await second.trpc.auth.signOutEverywhere.mutate({})).toEqual({ sessionsEnded: 2 });
    expect(second.cookies.size).toBe(0);
    expect(await failure(third.trpc.auth.me.query())).toMatchObject(sessionEnded);
    expect(await other.trpc.auth.me.query()).toMatchObject({ person: { id: api.world.b.patient.id } });

    const audit = await sql<{ action: string; actor_id: string }>`select action, actor_id from audit_log
      where clinic_id = ${a.clinicId} and action in ('auth.sign_out', 'auth.sign_out_everywhere')
      order by id desc limit 2`.execute(api.owner);
    expect(audit.rows).toEqual([
      { action: "auth.sign_out_everywhere", actor_id: a.patient.id },
      { action: "auth.sign_out", actor_id: a.patient.id },
    ]);
  });

  it("SEC-2: signing out without a session still clears the cookie", async () => {
    const browser = api.browser();
    browser.cookies.set("clinic_chat_session", "A".repeat(43));
    expect(await browser.trpc.auth.signOut.mutate({})).toEqual({ signedOut: true });
    expect(browser.cookies.size).toBe(0);
  });
});

describe("deactivation (ELIG-6)", () => {
  it("ELIG-6: a deactivated staff member's session stops working at the next request, and stays ended after reactivation", async () => {
    const { a } = api.world;
    const browser = api.browser();
    await enrolStaff(api, browser, a.nurse);
    expect(await browser.trpc.auth.me.query()).toMatchObject({ role: "staff" });
    await api.uow.run(a.clinicId, (s) => s.directory.saveStaff({ ...a.nurse, active: false }));
    expect(await failure(browser.trpc.conversations.list.query({ limit: 10 }))).toMatchObject(sessionEnded);
    await api.uow.run(a.clinicId, (s) => s.directory.saveStaff(a.nurse));
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    // A new sign-in works again once the account is active.
    api.clock.advance(30_000);
    expect(
      await api.browser().trpc.auth.signIn.mutate({ audience: "staff", email: a.nurse.email, password }),
    ).toEqual({ status: "codeRequired" });
  });

  it("ELIG-6: a disabled portal account's session stops working", async () => {
    const { b } = api.world;
    const browser = api.browser();
    await signInPatient(browser, b.patient.email!);
    await api.uow.run(b.clinicId, (s) =>
      s.directory.savePatient({ ...b.patient, portalAccount: "disabled" }),
    );
    try {
      expect(await failure(browser.trpc.portal.chat.query())).toMatchObject(sessionEnded);
      expect(
        await failure(
          api.browser().trpc.auth.signIn.mutate({ audience: "patient", email: b.patient.email!, password }),
        ),
      ).toMatchObject({ code: "UNAUTHORIZED", domainCode: "SIGN_IN_FAILED" }); // ACC-4: like a wrong password
    } finally {
      await api.uow.run(b.clinicId, (s) => s.directory.savePatient(b.patient));
    }
  });
});
