import type { AuthStore, ResolvedSession, Sha256 } from "@clinic-chat/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookie } from "../../src/auth/cookies";
import { newToken, sha256 } from "../../src/auth/secrets";
import type { Session } from "../../src/auth/session";
import { createSessionResolver } from "../../src/auth/sessionResolver";
import { cookieSessionCheck } from "../../src/live/liveSessions";
import { FakeClock } from "../support/fakes";
import { type LiveCluster, type LiveProcess, startLiveCluster } from "./support/liveCluster";

// The live streams' session re-checks (SEC-2) go to the database as one statement per tick: the
// checks the hub makes for the people of one feed batch are asked together.

const cookie = sessionCookie({ secure: false });
const cookieOf = (token: string | null) => (token === null ? null : `other=1; ${cookie.name}=${token}`);
const staff = (id: string): Session => ({
  clinicId: "clinic-a",
  person: { kind: "staff", id },
  role: "staff",
});
const patient = (id: string, clinicId = "clinic-a"): Session => ({
  clinicId,
  person: { kind: "patient", id },
});
const resolved = (session: Session): ResolvedSession => ({
  clinicId: session.clinicId,
  person: session.person,
  staffRole: session.role ?? null,
});

/**
 * The real resolver over a store that knows sessions by digest and records each batched peek
 * (`fail` makes the next peek fail).
 */
function world(known: Map<string, Session>) {
  const byDigest = new Map<string, Session>();
  const store = {
    peeks: [] as Sha256[][],
    singles: 0,
    fail: null as Error | null,
    async peekSessions(hashes: readonly Sha256[]): Promise<(ResolvedSession | null)[]> {
      store.peeks.push([...hashes]);
      await Promise.resolve();
      if (store.fail) throw store.fail;
      return hashes.map((hash) => {
        const found = byDigest.get(Buffer.from(hash).toString("hex"));
        return found ? resolved(found) : null;
      });
    },
    async resolveSession(): Promise<ResolvedSession | null> {
      store.singles++;
      return null;
    },
  };
  const resolver = createSessionResolver({
    store: store as unknown as AuthStore,
    clock: new FakeClock(),
    cookie,
  });
  return {
    store,
    resolver,
    check: cookieSessionCheck(resolver, cookie),
    async plant(session: Session): Promise<string> {
      const token = newToken();
      byDigest.set(Buffer.from(sha256(token)).toString("hex"), session);
      known.set(token, session);
      return token;
    },
  };
}

describe("cookieSessionCheck batches one tick's checks (SEC-2)", () => {
  it("SEC-2: checks asked in one tick are one peek of the store, each caller getting its own session's answer", async () => {
    const w = world(new Map());
    const ada = staff("ada");
    const pat = patient("pat");
    const bea = patient("bea", "clinic-b");
    const [adaToken, patToken, beaToken] = [await w.plant(ada), await w.plant(pat), await w.plant(bea)];
    const revoked = newToken(); // signed out: the store finds nothing
    const answers = await Promise.all([
      w.check.stillSignedIn(ada, { cookieHeader: cookieOf(adaToken) }),
      w.check.stillSignedIn(patient("rev"), { cookieHeader: cookieOf(revoked) }),
      w.check.stillSignedIn(pat, { cookieHeader: cookieOf(patToken) }),
      w.check.stillSignedIn(bea, { cookieHeader: cookieOf(beaToken) }),
      // Another person's cookie does not keep this stream alive.
      w.check.stillSignedIn(staff("eve"), { cookieHeader: cookieOf(adaToken) }),
      // No cookie, or a malformed one: no, and nothing asked for it.
      w.check.stillSignedIn(ada, { cookieHeader: null }),
      w.check.stillSignedIn(ada, { cookieHeader: cookieOf("not-a-token") }),
      w.check.stillSignedIn(ada, { cookieHeader: "garbage;;=" }),
      // The same session asked twice in the tick: the same answer twice.
      w.check.stillSignedIn(ada, { cookieHeader: cookieOf(adaToken) }),
    ]);
    expect(answers).toEqual([true, false, true, true, false, false, false, false, true]);
    expect(w.store.peeks).toHaveLength(1);
    expect(w.store.peeks[0]).toHaveLength(6);
    expect(w.store.singles).toBe(0);
  });

  it("SEC-2: checks of different ticks are separate peeks; a tick of only bad cookies asks nothing", async () => {
    const w = world(new Map());
    const ada = staff("ada");
    const token = await w.plant(ada);
    expect(await w.check.stillSignedIn(ada, { cookieHeader: cookieOf(token) })).toBe(true);
    expect(await w.check.stillSignedIn(ada, { cookieHeader: cookieOf(token) })).toBe(true);
    expect(w.store.peeks).toHaveLength(2);
    expect(
      await Promise.all([
        w.check.stillSignedIn(ada, { cookieHeader: null }),
        w.check.stillSignedIn(ada, { cookieHeader: cookieOf("x".repeat(44)) }),
      ]),
    ).toEqual([false, false]);
    expect(w.store.peeks).toHaveLength(2);
    expect(await w.resolver.peekTokens([])).toEqual([]);
    expect(w.store.peeks).toHaveLength(2);
  });

  it("SEC-2: a failed peek rejects every check of its tick (as one failed check did), and the next tick asks again", async () => {
    const w = world(new Map());
    const ada = staff("ada");
    const pat = patient("pat");
    const [adaToken, patToken] = [await w.plant(ada), await w.plant(pat)];
    w.store.fail = new Error("connection lost");
    const failed = await Promise.allSettled([
      w.check.stillSignedIn(ada, { cookieHeader: cookieOf(adaToken) }),
      w.check.stillSignedIn(pat, { cookieHeader: cookieOf(patToken) }),
    ]);
    expect(failed.map((r) => (r.status === "rejected" ? (r.reason as Error).message : r.value))).toEqual([
      "connection lost",
      "connection lost",
    ]);
    w.store.fail = null;
    expect(
      await Promise.all([
        w.check.stillSignedIn(ada, { cookieHeader: cookieOf(adaToken) }),
        w.check.stillSignedIn(pat, { cookieHeader: cookieOf(patToken) }),
      ]),
    ).toEqual([true, true]);
    expect(w.store.peeks.map((peek) => peek.length)).toEqual([2, 2]);
  });
});

describe("the hub's checks of one feed batch are one peek (SEC-2)", () => {
  let cluster: LiveCluster;
  let server: LiveProcess;
  beforeAll(async () => {
    cluster = await startLiveCluster({ cookieSessions: true });
    server = await cluster.startProcess("server");
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("SEC-2 ENT-4: an event reaching five people checks their five sessions in one peek; a signed-out one among them ends only its own streams, with UNAUTHORIZED", async () => {
    const { a } = cluster.world;
    const people = [a.admin, a.doctor, a.nurse, a.patient, a.otherPatient];
    const tabs = people.map((person) => cluster.client(server, person).subscribe());
    const secondNurseTab = cluster.client(server, a.nurse).subscribe();
    await Promise.all([...tabs, secondNurseTab].map((tab) => tab.ready()));
    const admin = cluster.client(server, a.admin);

    const before = cluster.peekTokenCalls.length;
    await admin.trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: true });
    for (const tab of [...tabs, secondNurseTab])
      await tab.until((c) => c.of("clinic.entitlements_changed").length === 1, "the change on every tab");
    const first = cluster.peekTokenCalls.slice(before);
    expect(first).toHaveLength(1);
    expect([...first[0]!].sort()).toEqual(people.map((p) => p.id).sort());

    cluster.signOut(a.nurse);
    const again = cluster.peekTokenCalls.length;
    await admin.trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: false });
    const nurseTabs = [tabs[2]!, secondNurseTab];
    for (const tab of nurseTabs)
      await tab.until((c) => c.errors.length === 1, "the end of the nurse's streams");
    for (const tab of nurseTabs) {
      expect(tab.errors[0]!.data).toMatchObject({ code: "UNAUTHORIZED" });
      expect(tab.of("clinic.entitlements_changed")).toHaveLength(1);
    }
    const others = tabs.filter((tab) => !nurseTabs.includes(tab));
    for (const tab of others)
      await tab.until((c) => c.of("clinic.entitlements_changed").length === 2, "the second change");
    for (const tab of others) expect(tab.errors).toEqual([]);
    const second = cluster.peekTokenCalls.slice(again);
    expect(second).toHaveLength(1);
    expect(second[0]).toHaveLength(5);
    for (const tab of others) tab.unsubscribe();
  });
});
