import type { IncomingMessage } from "node:http";
import { createServer, type Server, Socket } from "node:net";
import {
  connectPostgres,
  createPostgresAuthStore,
  createPostgresUnitOfWork,
  type Database,
} from "@clinic-chat/adapters";
import { type AuthStore, canAct, findPerson, type Patient, type PersonRef } from "@clinic-chat/domain";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../packages/adapters/test/support/postgres";
import { sessionCookie } from "../src/auth/cookies";
import { newToken, sha256 } from "../src/auth/secrets";
import type { Session } from "../src/auth/session";
import { type CookieSessionResolver, createSessionResolver } from "../src/auth/sessionResolver";
import { FakeClock, testUuid } from "./support/fakes";
import { seedWorld, type TestWorld } from "./support/world";

// Issue 7: the session check of every request is one statement (migration 0006's
// auth_resolve_session). These tests pin each of its outcomes on the real PostgreSQL, compare it
// case by case with the resolver it replaced (kept below as `legacyCheck`, verbatim but for its
// signature), and count what a check costs on the wire.

const minute = 60_000;
const hour = 60 * minute;

let database: TestDatabase;
let world: TestWorld;
let store: AuthStore;
let clock: FakeClock;
let resolver: CookieSessionResolver;
const cookie = sessionCookie({ secure: false });

/** Patients of clinic A whose portal account is neither active nor invited. */
const disabledPatient = patientOf(201, "disabled");
const noPortalPatient = patientOf(202, "none");

function patientOf(n: number, portalAccount: Patient["portalAccount"]): Patient {
  return {
    id: testUuid("9a71", n),
    clinicId: testUuid("c1a0", 1),
    name: `Portal ${portalAccount}`,
    email: `portal-${portalAccount}@mail.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount,
  };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const uow = createPostgresUnitOfWork(database.app, {
    notificationQueue: () => ({ schedule: async () => undefined }),
  });
  world = await seedWorld(uow);
  await uow.run(world.a.clinicId, async (s) => {
    await s.directory.savePatient(disabledPatient);
    await s.directory.savePatient(noPortalPatient);
  });
  // Clinic B's idle timeout is its own: 5 minutes (clinic A keeps the default 15).
  await uow.run(world.b.clinicId, async (s) => {
    const clinic = await s.clinics.get(world.b.clinicId);
    await s.clinics.saveSettings(world.b.clinicId, { ...clinic!.settings, idleTimeoutMinutes: 5 });
  });
  store = createPostgresAuthStore(database.app);
  clock = new FakeClock();
  resolver = createSessionResolver({ store, clock, cookie });
});

afterAll(async () => {
  await database?.close();
});

const staffRef = (person: { id: string }): PersonRef => ({ kind: "staff", id: person.id });
const patientRef = (person: { id: string }): PersonRef => ({ kind: "patient", id: person.id });

interface SessionRow {
  readonly clinicId: string;
  readonly person: PersonRef;
  /** How long before now it was last seen (negative: after now, a clock that went back). */
  readonly idleMs: number;
  /** Its absolute expiry, relative to now. */
  readonly expiresInMs: number;
  readonly revoked?: boolean;
}

/** Stores sessions as they would be after sign-in and use (as the superuser), returning their tokens. */
async function plant(rows: readonly SessionRow[]): Promise<string[]> {
  const now = clock.now().getTime();
  const tokens = rows.map(() => newToken());
  const values = rows.map((row, i) => {
    const lastSeen = now - row.idleMs;
    const expires = now + row.expiresInMs;
    const created = Math.min(lastSeen, expires - 12 * hour);
    return {
      token_hash: sha256(tokens[i]!),
      clinic_id: row.clinicId,
      person_kind: row.person.kind,
      person_id: row.person.id,
      created_at: new Date(created),
      last_seen_at: new Date(lastSeen),
      expires_at: new Date(expires),
      revoked_at: row.revoked ? new Date(lastSeen) : null,
    };
  });
  for (let i = 0; i < values.length; i += 500)
    await database.owner
      .insertInto("auth_sessions")
      .values(values.slice(i, i + 500))
      .execute();
  return tokens;
}

/** What is stored of a session: when it was last seen and when it ended. */
async function stored(token: string): Promise<{ lastSeenAt: Date; revokedAt: Date | null }> {
  const row = await database.owner
    .selectFrom("auth_sessions")
    .select(["last_seen_at", "revoked_at"])
    .where("token_hash", "=", sha256(token))
    .executeTakeFirstOrThrow();
  return { lastSeenAt: row.last_seen_at, revokedAt: row.revoked_at };
}

/**
 * The earlier two-step resolver, verbatim but for its signature: a look-up, then a transaction
 * bound to the clinic that loads the clinic and the person and revokes or touches.
 */
async function legacyCheck(authStore: AuthStore, token: string, touch: boolean): Promise<Session | null> {
  const maxTouchIntervalMs = 60_000;
  const defaultIdleMinutes = 15;
  const tokenHash = sha256(token);
  const found = await authStore.sessionByTokenHash(tokenHash);
  const now = clock.now();
  if (!found || now.getTime() >= found.expiresAt.getTime()) return null;
  return authStore.run(found.clinicId, async (s) => {
    const clinic = await s.clinics.get(found.clinicId);
    const idleMs = (clinic?.settings.idleTimeoutMinutes ?? defaultIdleMinutes) * 60_000;
    const idleFor = now.getTime() - found.lastSeenAt.getTime();
    const person = await findPerson(s, found.person);
    if (!clinic || idleFor >= idleMs || !person || !canAct(person).allowed) {
      await s.sessions.revoke(tokenHash, now);
      return null;
    }
    if (touch && idleFor >= Math.min(maxTouchIntervalMs, idleMs / 10)) await s.sessions.touch(tokenHash, now);
    return person.kind === "staff"
      ? { clinicId: found.clinicId, person: found.person, role: person.staff.role }
      : { clinicId: found.clinicId, person: found.person };
  });
}

describe("one statement gives the same answers as the resolver it replaced (SEC-2, ELIG-6)", () => {
  it("SEC-2 ELIG-6: for every kind of person and standing, idle age around each threshold, expiry, touch or peek, the result and the stored session are the same", async () => {
    const { a, b } = world;
    const people: { clinicId: string; person: PersonRef }[] = [
      { clinicId: a.clinicId, person: staffRef(a.admin) },
      { clinicId: a.clinicId, person: staffRef(a.nurse) },
      { clinicId: a.clinicId, person: staffRef(a.former) },
      { clinicId: a.clinicId, person: patientRef(a.patient) },
      { clinicId: a.clinicId, person: patientRef(a.invited) },
      { clinicId: a.clinicId, person: patientRef(disabledPatient) },
      { clinicId: a.clinicId, person: patientRef(noPortalPatient) },
      { clinicId: b.clinicId, person: staffRef(b.doctor) },
      { clinicId: b.clinicId, person: staffRef(b.former) },
      { clinicId: b.clinicId, person: patientRef(b.patient) },
    ];
    // Around the touch thresholds (30 s for B's 5 minutes, 60 s for A's 15) and both timeouts.
    const idleAges = [
      -minute,
      0,
      29_999,
      30_000,
      59_999,
      60_000,
      5 * minute - 1,
      5 * minute,
      15 * minute - 1,
      15 * minute,
      hour,
    ];
    const expiries = [hour, 1, 0, -1];
    const cases: (SessionRow & { touch: boolean })[] = [];
    for (const who of people)
      for (const idleMs of idleAges)
        for (const expiresInMs of expiries)
          for (const touch of [true, false]) cases.push({ ...who, idleMs, expiresInMs, touch });
    // Revoked (signed out) sessions, of every person.
    for (const who of people)
      cases.push({ ...who, idleMs: 0, expiresInMs: hour, touch: true, revoked: true });

    const legacyTokens = await plant(cases);
    const tokens = await plant(cases);
    let live = 0;
    let revoked = 0;
    let touched = 0;
    for (const [i, c] of cases.entries()) {
      const label = JSON.stringify(c);
      const before = await stored(tokens[i]!);
      const expected = await legacyCheck(store, legacyTokens[i]!, c.touch);
      const actual = await (c.touch ? resolver.resolveToken(tokens[i]!) : resolver.peekToken(tokens[i]!));
      expect(actual, label).toEqual(expected);
      const after = await stored(tokens[i]!);
      expect(after, label).toEqual(await stored(legacyTokens[i]!));
      // A second request right after: ended sessions stay ended, live ones stay live.
      expect(await resolver.resolveToken(tokens[i]!), label).toEqual(
        await legacyCheck(store, legacyTokens[i]!, true),
      );
      if (actual) live++;
      if (!before.revokedAt && after.revokedAt) revoked++;
      if (after.lastSeenAt.getTime() !== before.lastSeenAt.getTime()) touched++;
    }
    // Every branch was taken.
    expect(live).toBeGreaterThan(0);
    expect(revoked).toBeGreaterThan(0);
    expect(touched).toBeGreaterThan(0);
    // Hundreds of database round trips: a busy machine may take longer than the default.
  }, 90_000);
});

/**
 * Sessions of every kind of person and standing (live, deactivated, invited, disabled, in both
 * clinics), at idle ages around each threshold, with each of `expiries`, and signed out.
 */
function standingCases(expiries: readonly number[]): SessionRow[] {
  const { a, b } = world;
  const people: { clinicId: string; person: PersonRef }[] = [
    { clinicId: a.clinicId, person: staffRef(a.admin) },
    { clinicId: a.clinicId, person: staffRef(a.former) },
    { clinicId: a.clinicId, person: patientRef(a.patient) },
    { clinicId: a.clinicId, person: patientRef(a.invited) },
    { clinicId: a.clinicId, person: patientRef(disabledPatient) },
    { clinicId: b.clinicId, person: staffRef(b.doctor) },
    { clinicId: b.clinicId, person: patientRef(b.patient) },
  ];
  const cases: SessionRow[] = [];
  for (const who of people) {
    for (const idleMs of [-minute, 0, 60_000, 5 * minute - 1, 5 * minute, 15 * minute - 1, 15 * minute])
      for (const expiresInMs of expiries) cases.push({ ...who, idleMs, expiresInMs });
    cases.push({ ...who, idleMs: 0, expiresInMs: hour, revoked: true });
  }
  return cases;
}

describe("many peeks in one statement: peekTokens (SEC-2, ELIG-6)", () => {
  it("SEC-2 ELIG-6: for every kind of person and standing, idle age and expiry, peekTokens answers each token as peekToken does, with the same stored outcome; null and malformed tokens answer null", async () => {
    const cases = standingCases([hour, 1, 0, -1]);
    const single = await plant(cases);
    const batched = await plant(cases);
    const expected: (Session | null)[] = [];
    for (const token of single) expected.push(await resolver.peekToken(token));
    // Interleaved: no cookie, malformed ones, an unknown token, and a token asked twice.
    const bad = [null, "", "not-a-token", `${batched[0]!}=`, newToken()];
    const asked = [...bad, ...batched, batched[0]!];
    const answers = await resolver.peekTokens(asked);
    expect(answers).toEqual([null, null, null, null, null, ...expected, expected[0]!]);
    for (const [i, token] of batched.entries())
      expect(await stored(token), JSON.stringify(cases[i])).toEqual(await stored(single[i]!));
    expect(expected.filter(Boolean).length).toBeGreaterThan(0);
    expect(expected.filter((e) => !e).length).toBeGreaterThan(0);
  });
});

describe("the requests' checks of one tick share one statement (SEC-2, ELIG-6)", () => {
  it("SEC-2 ELIG-6: resolveToken for many tokens in one tick answers each as it does alone, with the same stored outcome and the same sliding of the idle timer; malformed tokens answer null", async () => {
    const cases = standingCases([hour, 0]);
    const single = await plant(cases);
    const together = await plant(cases);
    const expected: (Session | null)[] = [];
    for (const token of single) expected.push(await resolver.resolveToken(token));
    const answers = await Promise.all([
      resolver.resolveToken(null),
      resolver.resolveToken("not-a-token"),
      ...together.map((token) => resolver.resolveToken(token)),
    ]);
    expect(answers).toEqual([null, null, ...expected]);
    let touched = 0;
    for (const [i, token] of together.entries()) {
      const after = await stored(token);
      expect(after, JSON.stringify(cases[i])).toEqual(await stored(single[i]!));
      if (after.lastSeenAt.getTime() === clock.now().getTime()) touched++;
    }
    expect(touched).toBeGreaterThan(0);
    expect(expected.filter(Boolean).length).toBeGreaterThan(0);
    expect(expected.filter((e) => !e).length).toBeGreaterThan(0);
  });
});

describe("each outcome of the one-statement check (SEC-2, ELIG-6)", () => {
  it("SEC-1 SEC-2: an unknown token finds nobody and writes nothing", async () => {
    const [known] = await plant([
      { clinicId: world.a.clinicId, person: patientRef(world.a.patient), idleMs: 0, expiresInMs: hour },
    ]);
    const before = await stored(known!);
    expect(await resolver.resolveToken(newToken())).toBeNull();
    expect(
      await store.resolveSession(sha256("not a token"), clock.now(), {
        touch: true,
        maxTouchIntervalMs: 60_000,
      }),
    ).toBeNull();
    expect(await stored(known!)).toEqual(before);
  });

  it("SEC-2: a live session names its clinic, its person and a staff member's role", async () => {
    const { a, b } = world;
    const [doctor, patient] = await plant([
      { clinicId: b.clinicId, person: staffRef(b.doctor), idleMs: 0, expiresInMs: hour },
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: 0, expiresInMs: hour },
    ]);
    expect(await resolver.resolveToken(doctor!)).toEqual({
      clinicId: b.clinicId,
      person: staffRef(b.doctor),
      role: "practitioner",
    });
    expect(await resolver.peekToken(patient!)).toEqual({
      clinicId: a.clinicId,
      person: patientRef(a.patient),
    });
    // The request itself: the session cookie's token.
    const request = { headers: { cookie: `other=1; ${cookie.name}=${patient}` } } as IncomingMessage;
    expect(await resolver.resolve(request)).toEqual({ clinicId: a.clinicId, person: patientRef(a.patient) });
  });

  it("SEC-2: a session at or past its 12-hour expiry is refused, and left as it is", async () => {
    const [atExpiry, past, justBefore] = await plant([
      { clinicId: world.a.clinicId, person: staffRef(world.a.admin), idleMs: 0, expiresInMs: 0 },
      { clinicId: world.a.clinicId, person: staffRef(world.a.admin), idleMs: 0, expiresInMs: -hour },
      { clinicId: world.a.clinicId, person: staffRef(world.a.admin), idleMs: 0, expiresInMs: 1 },
    ]);
    expect(await resolver.resolveToken(atExpiry!)).toBeNull();
    expect(await resolver.resolveToken(past!)).toBeNull();
    expect((await stored(atExpiry!)).revokedAt).toBeNull();
    expect((await stored(past!)).revokedAt).toBeNull();
    expect(await resolver.resolveToken(justBefore!)).toMatchObject({ role: "admin" });
  });

  it("SEC-2: a session idle for its clinic's timeout is revoked for good; a millisecond less and it lives", async () => {
    const { a, b } = world;
    const [idleA, aliveA, idleB, aliveB] = await plant([
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: 15 * minute, expiresInMs: hour },
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: 15 * minute - 1, expiresInMs: hour },
      { clinicId: b.clinicId, person: patientRef(b.patient), idleMs: 5 * minute, expiresInMs: hour },
      { clinicId: b.clinicId, person: patientRef(b.patient), idleMs: 5 * minute - 1, expiresInMs: hour },
    ]);
    expect(await resolver.peekToken(idleA!)).toBeNull();
    expect(await resolver.resolveToken(idleB!)).toBeNull();
    expect((await stored(idleA!)).revokedAt).toEqual(clock.now());
    expect((await stored(idleB!)).revokedAt).toEqual(clock.now());
    expect(await resolver.resolveToken(aliveA!)).toMatchObject({ clinicId: a.clinicId });
    expect(await resolver.resolveToken(aliveB!)).toMatchObject({ clinicId: b.clinicId });
    // Ended for good: with the clock gone back, it stays ended.
    clock.advance(-10 * minute);
    try {
      expect(await resolver.resolveToken(idleA!)).toBeNull();
    } finally {
      clock.advance(10 * minute);
    }
  });

  it("SEC-2: a signed-out (revoked) session is refused and keeps its revocation time", async () => {
    const [token] = await plant([
      {
        clinicId: world.a.clinicId,
        person: staffRef(world.a.nurse),
        idleMs: minute,
        expiresInMs: hour,
        revoked: true,
      },
    ]);
    const before = await stored(token!);
    expect(await resolver.resolveToken(token!)).toBeNull();
    expect(await stored(token!)).toEqual(before);
  });

  it("ELIG-6: a deactivated staff member's session is revoked, and stays ended once they are reactivated", async () => {
    const { a } = world;
    const uow = createPostgresUnitOfWork(database.app, {
      notificationQueue: () => ({ schedule: async () => undefined }),
    });
    const [token] = await plant([
      { clinicId: a.clinicId, person: staffRef(a.doctor), idleMs: 0, expiresInMs: hour },
    ]);
    expect(await resolver.resolveToken(token!)).toMatchObject({ role: "practitioner" });
    await uow.run(a.clinicId, (s) => s.directory.saveStaff({ ...a.doctor, active: false }));
    try {
      expect(await resolver.peekToken(token!)).toBeNull();
      expect((await stored(token!)).revokedAt).toEqual(clock.now());
    } finally {
      await uow.run(a.clinicId, (s) => s.directory.saveStaff(a.doctor));
    }
    expect(await resolver.resolveToken(token!)).toBeNull();
  });

  it("ELIG-6: a patient whose portal account is disabled, only invited or absent is signed out", async () => {
    const { a } = world;
    const tokens = await plant(
      [a.invited, disabledPatient, noPortalPatient].map((p) => ({
        clinicId: a.clinicId,
        person: patientRef(p),
        idleMs: 0,
        expiresInMs: hour,
      })),
    );
    for (const token of tokens) {
      expect(await resolver.resolveToken(token)).toBeNull();
      expect((await stored(token)).revokedAt).toEqual(clock.now());
    }
  });

  it("SEC-2: the idle timer slides only after a minute (or a tenth of the timeout), never backwards, and never on a peek", async () => {
    const { a, b } = world;
    const now = clock.now();
    const [early, due, dueB, earlyB, peeked, ahead] = await plant([
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: 59_999, expiresInMs: hour },
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: 60_000, expiresInMs: hour },
      { clinicId: b.clinicId, person: patientRef(b.patient), idleMs: 30_000, expiresInMs: hour },
      { clinicId: b.clinicId, person: patientRef(b.patient), idleMs: 29_999, expiresInMs: hour },
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: 14 * minute, expiresInMs: hour },
      { clinicId: a.clinicId, person: patientRef(a.patient), idleMs: -minute, expiresInMs: hour },
    ]);
    for (const token of [early, due, dueB, earlyB, ahead]) await resolver.resolveToken(token!);
    await resolver.peekToken(peeked!);
    expect((await stored(early!)).lastSeenAt).toEqual(new Date(now.getTime() - 59_999));
    expect((await stored(due!)).lastSeenAt).toEqual(now);
    expect((await stored(dueB!)).lastSeenAt).toEqual(now);
    expect((await stored(earlyB!)).lastSeenAt).toEqual(new Date(now.getTime() - 29_999));
    expect((await stored(peeked!)).lastSeenAt).toEqual(new Date(now.getTime() - 14 * minute));
    expect((await stored(ahead!)).lastSeenAt).toEqual(new Date(now.getTime() + minute));
  });
});

describe("the definer function stays inside what the token proves (SEC-4, ELIG-5)", () => {
  it("SEC-4 ELIG-5: a token of clinic A never yields clinic B, whichever clinic the caller is bound to, and the caller's binding and RLS are intact afterwards", async () => {
    const { a, b } = world;
    const [tokenA, tokenB] = await plant([
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 0, expiresInMs: hour },
      { clinicId: b.clinicId, person: staffRef(b.admin), idleMs: 0, expiresInMs: hour },
    ]);
    expect(await resolver.resolveToken(tokenA!)).toMatchObject({ clinicId: a.clinicId });
    expect(await resolver.resolveToken(tokenB!)).toMatchObject({ clinicId: b.clinicId });
    // Called from inside a transaction bound to the other clinic, as the application role.
    const seen = await database.app.transaction().execute(async (trx) => {
      await sql`select set_config('app.clinic_id', ${b.clinicId}, true)`.execute(trx);
      const found = await sql<{ clinic_id: string; person_id: string }>`
        select clinic_id, person_id from auth_resolve_session(${sha256(tokenA!)}, ${clock.now()}, true,
          make_interval(secs => 60))`.execute(trx);
      const setting = await sql<{ clinic: string }>`
        select current_setting('app.clinic_id', true) as clinic`.execute(trx);
      const staffOfA = await sql<{ n: number }>`
        select count(*)::int as n from staff where clinic_id = ${a.clinicId}`.execute(trx);
      const sessionsOfA = await sql<{ n: number }>`
        select count(*)::int as n from auth_sessions where clinic_id = ${a.clinicId}`.execute(trx);
      return {
        found: found.rows,
        setting: setting.rows[0]?.clinic,
        staffOfA: staffOfA.rows[0]?.n,
        sessionsOfA: sessionsOfA.rows[0]?.n,
      };
    });
    expect(seen).toEqual({
      found: [{ clinic_id: a.clinicId, person_id: a.admin.id }],
      setting: b.clinicId,
      staffOfA: 0,
      sessionsOfA: 0,
    });
    // A caller bound to no clinic is left bound to none.
    const unbound = await database.app.transaction().execute(async (trx) => {
      const found = await sql<{ clinic_id: string }>`
        select clinic_id from auth_resolve_session(${sha256(tokenB!)}, ${clock.now()}, false,
          make_interval(secs => 60))`.execute(trx);
      const setting = await sql<{ clinic: string | null }>`
        select nullif(current_setting('app.clinic_id', true), '') as clinic`.execute(trx);
      const staffOfB = await sql<{ n: number }>`select count(*)::int as n from staff`.execute(trx);
      return { found: found.rows, setting: setting.rows[0]?.clinic, staff: staffOfB.rows[0]?.n };
    });
    expect(unbound).toEqual({ found: [{ clinic_id: b.clinicId }], setting: null, staff: 0 });
  });

  it("SEC-4: its answer is ids and a role only: no name, email, token or time", async () => {
    const shape = await sql<{ args: string; result: string }>`
      select pg_get_function_identity_arguments('auth_resolve_session(bytea, timestamptz, boolean, interval)'::regprocedure) as args,
        pg_get_function_result('auth_resolve_session(bytea, timestamptz, boolean, interval)'::regprocedure) as result`.execute(
      database.owner,
    );
    expect(shape.rows[0]).toEqual({
      args: "p_token_hash bytea, p_now timestamp with time zone, p_touch boolean, p_max_touch_interval interval",
      result: "TABLE(clinic_id text, person_kind text, person_id text, staff_role text)",
    });
  });
});

/**
 * A TCP proxy in front of PostgreSQL that reads the frontend/backend protocol as it passes:
 * statements are Execute and simple Query messages from the client; a round trip starts whenever
 * the client sends while it has no answer outstanding (every Sync or Query is answered by one
 * ReadyForQuery), so statements pipelined behind one another count once.
 */
async function startWireCounter(targetPort: number) {
  const counts = { roundTrips: 0, statements: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    let outstanding = 0;
    let started = false;
    let fromClient = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);
    client.on("data", (chunk: Buffer) => {
      fromClient = Buffer.concat([fromClient, chunk]);
      let awaited = 0;
      let executes = 0;
      for (;;) {
        if (!started) {
          if (fromClient.length < 4) break;
          const length = fromClient.readInt32BE(0);
          if (fromClient.length < length) break;
          fromClient = fromClient.subarray(length);
          started = true;
          continue;
        }
        if (fromClient.length < 5) break;
        const length = fromClient.readInt32BE(1);
        if (fromClient.length < length + 1) break;
        const type = String.fromCharCode(fromClient[0]!);
        if (type === "S" || type === "Q") awaited++;
        if (type === "E" || type === "Q") executes++;
        fromClient = fromClient.subarray(length + 1);
      }
      if (awaited > 0 && outstanding === 0) counts.roundTrips++;
      outstanding += awaited;
      counts.statements += executes;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      fromServer = Buffer.concat([fromServer, chunk]);
      for (;;) {
        if (fromServer.length < 5) break;
        const length = fromServer.readInt32BE(1);
        if (fromServer.length < length + 1) break;
        if (fromServer[0] === "Z".charCodeAt(0)) outstanding = Math.max(0, outstanding - 1);
        fromServer = fromServer.subarray(length + 1);
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
    upstream.connect(targetPort, "127.0.0.1");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    counts,
    reset() {
      counts.roundTrips = 0;
      counts.statements = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

describe("what a session check costs", () => {
  let counter: Awaited<ReturnType<typeof startWireCounter>>;
  let counted: Kysely<Database>;
  let countedStore: AuthStore;
  let countedResolver: CookieSessionResolver;
  beforeAll(async () => {
    const target = new URL(database.appUrl);
    counter = await startWireCounter(Number(target.port));
    target.port = String(counter.port);
    target.hostname = "127.0.0.1";
    counted = connectPostgres(target.toString(), { max: 1 });
    countedStore = createPostgresAuthStore(counted);
    countedResolver = createSessionResolver({ store: countedStore, clock, cookie });
  });
  afterAll(async () => {
    await counted?.destroy();
    await counter?.close();
  });

  /** Round trips and statements of `work`, on a connection that has run it once already. */
  async function cost(work: () => Promise<unknown>): Promise<{ roundTrips: number; statements: number }> {
    counter.reset();
    await work();
    return { ...counter.counts };
  }

  it("SEC-2: every outcome of a request's session check is one round trip and one statement", async () => {
    const { a } = world;
    const rows: SessionRow[] = [
      // live, nothing to write
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 1_000, expiresInMs: hour },
      // live, the idle timer slides
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 2 * minute, expiresInMs: hour },
      // idle: revoked
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: hour, expiresInMs: hour },
      // deactivated: revoked
      { clinicId: a.clinicId, person: staffRef(a.former), idleMs: 0, expiresInMs: hour },
      // expired
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 0, expiresInMs: -1 },
    ];
    // Warm the connection and its prepared statement (postgres.js describes a statement once).
    const [warm] = await plant([rows[0]!]);
    await countedResolver.resolveToken(warm!);
    const tokens = await plant(rows);
    const costs = [];
    for (const token of tokens) costs.push(await cost(() => countedResolver.resolveToken(token)));
    const [peekToken] = await plant([rows[1]!]);
    costs.push(await cost(() => countedResolver.peekToken(peekToken!)));
    costs.push(await cost(() => countedResolver.resolveToken(newToken())));
    for (const c of costs) expect(c).toEqual({ roundTrips: 1, statements: 1 });
    // A malformed cookie costs nothing.
    expect(await cost(() => countedResolver.resolveToken("not-a-token"))).toEqual({
      roundTrips: 0,
      statements: 0,
    });
  });

  it("SEC-2: the checks of requests made in one tick are one round trip and one statement together", async () => {
    const { a, b } = world;
    const tokens = await plant([
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 2 * minute, expiresInMs: hour },
      { clinicId: b.clinicId, person: patientRef(b.patient), idleMs: 0, expiresInMs: hour },
      { clinicId: a.clinicId, person: staffRef(a.former), idleMs: 0, expiresInMs: hour },
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: hour, expiresInMs: hour },
    ]);
    // Warm the batched statement (postgres.js describes a statement once).
    await Promise.all([newToken(), newToken()].map((token) => countedResolver.resolveToken(token)));
    let answers: (Session | null)[] = [];
    expect(
      await cost(async () => {
        answers = await Promise.all(
          [...tokens, newToken()].map((token) => countedResolver.resolveToken(token)),
        );
      }),
    ).toEqual({ roundTrips: 1, statements: 1 });
    expect(answers.map((found) => found?.clinicId ?? null)).toEqual([
      a.clinicId,
      b.clinicId,
      null,
      null,
      null,
    ]);
  });

  it("SEC-2: peekTokens is one round trip and one statement for any number of tokens, and none when no token is well formed", async () => {
    const { a, b } = world;
    const tokens = await plant([
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 2 * minute, expiresInMs: hour },
      { clinicId: b.clinicId, person: patientRef(b.patient), idleMs: 0, expiresInMs: hour },
      { clinicId: a.clinicId, person: staffRef(a.former), idleMs: 0, expiresInMs: hour },
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: hour, expiresInMs: hour },
    ]);
    await countedResolver.peekTokens([newToken()]);
    expect(await cost(() => countedResolver.peekTokens([...tokens, newToken(), null]))).toEqual({
      roundTrips: 1,
      statements: 1,
    });
    expect(await cost(() => countedResolver.peekTokens([null, "not-a-token"]))).toEqual({
      roundTrips: 0,
      statements: 0,
    });
    expect(await cost(() => countedResolver.peekTokens([]))).toEqual({ roundTrips: 0, statements: 0 });
  });

  it("the resolver it replaced took four round trips and six statements, five and seven when it slid the timer", async () => {
    const { a } = world;
    const [warm, plain, sliding] = await plant([
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 2 * minute, expiresInMs: hour },
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 1_000, expiresInMs: hour },
      { clinicId: a.clinicId, person: staffRef(a.admin), idleMs: 2 * minute, expiresInMs: hour },
    ]);
    await legacyCheck(countedStore, warm!, true);
    expect(await cost(() => legacyCheck(countedStore, plain!, true))).toEqual({
      roundTrips: 4,
      statements: 6,
    });
    expect(await cost(() => legacyCheck(countedStore, sliding!, true))).toEqual({
      roundTrips: 5,
      statements: 7,
    });
  });
});
