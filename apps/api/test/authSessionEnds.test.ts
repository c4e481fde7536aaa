import type { AuthStore } from "@clinic-chat/domain";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../src/auth/secrets";
import { type AuthApi, type Browser, failure, startAuthApi } from "./support/authApi";
import { enrolStaff, signInPatient } from "./support/signInFlows";

// SEC-3 on the real server and the real PostgreSQL: every end of a session leaves exactly one
// audit record, with the person, the reason and the moment it ended, and nothing else.

let api: AuthApi;
let store: AuthStore;
beforeAll(async () => {
  api = await startAuthApi({
    wrapStore: (real) => {
      store = real;
      return real;
    },
  });
});
afterAll(async () => {
  await api.close();
});

const minutes = (n: number) => n * 60_000;
const hours = (n: number) => n * 60 * 60_000;
const sessionEnded = { code: "UNAUTHORIZED", message: "Your session has ended. Please sign in again." };

/** A fresh browser with a patient signed in; the clock moves on a minute so each test's records stand apart. */
async function signedIn(email = api.world.a.patient.email!): Promise<Browser> {
  api.clock.advance(minutes(1));
  const browser = api.browser();
  await signInPatient(browser, email);
  return browser;
}

const tokenOf = (browser: Browser) => [...browser.cookies.values()][0] ?? "";

/** The session-end records of a person, oldest first, as stored. */
async function endsOf(personId: string) {
  const rows = await sql<{
    action: string;
    actor_kind: string | null;
    actor_id: string | null;
    subject_id: string | null;
    reason: string | null;
    at: Date;
    ip: string | null;
    outcome: string;
    conversation_id: string | null;
    message_id: string | null;
    file_id: string | null;
  }>`select action, actor_kind, actor_id, subject_id, reason, at, ip, outcome, conversation_id, message_id, file_id
    from audit_log where actor_id = ${personId} and action like 'session.%' order by id`.execute(api.owner);
  return rows.rows;
}

const record = (personId: string, action: string, reason: string, at: Date, ip: string | null = null) => ({
  action,
  actor_kind: "patient",
  actor_id: personId,
  subject_id: null,
  reason,
  at,
  ip,
  outcome: "success",
  conversation_id: null,
  message_id: null,
  file_id: null,
});

/** Ends the patient's sessions of earlier tests, so each test sees its own records only. */
async function cleanSlate(personId: string, email?: string) {
  await (await signedIn(email)).trpc.auth.signOutEverywhere.mutate({});
  return (await endsOf(personId)).length;
}

describe("every end of a session is audited once (SEC-3)", () => {
  it("SEC-3: an idle session's end is recorded once, at the moment the timeout ran out, however many requests find it", async () => {
    const { a } = api.world;
    const before = await cleanSlate(a.patient.id);
    const browser = await signedIn();
    const signedInAt = api.clock.now();
    api.clock.advance(minutes(15));
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => failure(browser.trpc.portal.chat.query())),
    );
    for (const answer of answers) expect(answer).toMatchObject(sessionEnded);
    // Checks that do not share a statement: each its own, all at once.
    const hash = sha256(tokenOf(browser));
    const direct = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.resolveSession(hash, api.clock.now(), { touch: true, maxTouchIntervalMs: 60_000 }),
      ),
    );
    expect(direct.every((d) => d === null)).toBe(true);
    expect((await endsOf(a.patient.id)).slice(before)).toEqual([
      record(a.patient.id, "session.expired", "idle", new Date(signedInAt.getTime() + minutes(15))),
    ]);
  });

  it("SEC-3: a session's 12-hour expiry is recorded once, at the expiry, even under 20 concurrent checks; the session is left as it is", async () => {
    const { a } = api.world;
    const before = await cleanSlate(a.patient.id);
    const browser = await signedIn();
    const expiresAt = new Date(api.clock.now().getTime() + hours(12));
    const hash = sha256(tokenOf(browser));
    // Active to the end: in use until a minute before the expiry.
    api.clock.advance(hours(12) - minutes(1));
    await sql`update auth_sessions set last_seen_at = ${api.clock.now()} where token_hash = ${hash}`.execute(
      api.owner,
    );
    expect(await browser.trpc.auth.me.query()).toMatchObject({ person: { id: a.patient.id } });
    api.clock.advance(minutes(1));
    const direct = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? store.resolveSession(hash, api.clock.now(), { touch: true, maxTouchIntervalMs: 60_000 })
          : store.peekSessions([hash], api.clock.now(), { maxTouchIntervalMs: 60_000 }).then(([one]) => one),
      ),
    );
    expect(direct.every((d) => d === null)).toBe(true);
    expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    expect((await endsOf(a.patient.id)).slice(before)).toEqual([
      record(a.patient.id, "session.expired", "absolute", expiresAt),
    ]);
    const stored = await sql<{ revoked_at: Date | null }>`select revoked_at from auth_sessions
      where token_hash = ${hash}`.execute(api.owner);
    expect(stored.rows).toEqual([{ revoked_at: null }]);
  });

  it("SEC-3: a session nobody asks about again gets its record at the person's next sign-in, for the end that came first, before it is tidied away", async () => {
    const { a } = api.world;
    const before = await cleanSlate(a.patient.id);
    const forgotten = await signedIn();
    const lastSeenAt = api.clock.now();
    const hash = sha256(tokenOf(forgotten));
    api.clock.advance(hours(13));
    await signedIn();
    expect((await endsOf(a.patient.id)).slice(before)).toEqual([
      record(a.patient.id, "session.expired", "idle", new Date(lastSeenAt.getTime() + minutes(15))),
    ]);
    const stored = await sql<{ n: number }>`select count(*)::int as n from auth_sessions
      where token_hash = ${hash}`.execute(api.owner);
    expect(stored.rows[0]?.n).toBe(0);
  });

  it("SEC-3: sign out everywhere records each session it ends, with the address, besides the action itself; one that had already gone idle is recorded as idle", async () => {
    const { a } = api.world;
    const before = await cleanSlate(a.patient.id);
    const idle = await signedIn();
    const idleSince = api.clock.now();
    api.clock.advance(minutes(20));
    const sessions = [await signedIn(), await signedIn(), await signedIn()];
    const at = api.clock.now();
    expect(await sessions[0]!.trpc.auth.signOutEverywhere.mutate({})).toEqual({ sessionsEnded: 3 });
    for (const browser of [idle, ...sessions])
      expect(await failure(browser.trpc.auth.me.query())).toMatchObject(sessionEnded);
    const ended = record(a.patient.id, "session.ended", "signed_out_everywhere", at, "127.0.0.1");
    expect((await endsOf(a.patient.id)).slice(before)).toEqual([
      record(a.patient.id, "session.expired", "idle", new Date(idleSince.getTime() + minutes(15))),
      ended,
      ended,
      ended,
    ]);
  });

  it("SEC-3 ELIG-6: a deactivated staff member's session ends at its next check with one record", async () => {
    const { b } = api.world;
    const browser = api.browser();
    await enrolStaff(api, browser, b.nurse);
    await api.uow.run(b.clinicId, (s) => s.directory.saveStaff({ ...b.nurse, active: false }));
    try {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => failure(browser.trpc.auth.me.query())),
      );
      for (const answer of answers) expect(answer).toMatchObject(sessionEnded);
      expect(await endsOf(b.nurse.id)).toEqual([
        {
          ...record(b.nurse.id, "session.ended", "account_unavailable", api.clock.now()),
          actor_kind: "staff",
        },
      ]);
    } finally {
      await api.uow.run(b.clinicId, (s) => s.directory.saveStaff(b.nurse));
    }
  });
});
