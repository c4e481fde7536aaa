import type { AuthStore, ResolvedSession, Sha256 } from "@clinic-chat/domain";
import { describe, expect, it } from "vitest";
import { sessionCookie } from "../src/auth/cookies";
import { newToken, sha256 } from "../src/auth/secrets";
import { createSessionResolver } from "../src/auth/sessionResolver";
import { FakeClock } from "./support/fakes";

// A request's session check (SEC-2) waits for the end of its tick's I/O; the checks of one tick
// go to the store together, each distinct token once.

const hex = (hash: Sha256) => Buffer.from(hash).toString("hex");

function world() {
  const sessions = new Map<string, ResolvedSession>();
  const store = {
    singles: [] as string[],
    batches: [] as string[][],
    fail: null as Error | null,
    async resolveSession(
      hash: Sha256,
      _at: Date,
      options: { touch: boolean },
    ): Promise<ResolvedSession | null> {
      expect(options.touch).toBe(true);
      store.singles.push(hex(hash));
      if (store.fail) throw store.fail;
      return sessions.get(hex(hash)) ?? null;
    },
    async resolveSessions(
      hashes: readonly Sha256[],
      _at: Date,
      options: { touch: boolean },
    ): Promise<(ResolvedSession | null)[]> {
      expect(options.touch).toBe(true);
      store.batches.push(hashes.map(hex));
      if (store.fail) throw store.fail;
      return hashes.map((hash) => sessions.get(hex(hash)) ?? null);
    },
  };
  const resolver = createSessionResolver({
    store: store as unknown as AuthStore,
    clock: new FakeClock(),
    cookie: sessionCookie({ secure: false }),
  });
  const plant = (person: string): string => {
    const token = newToken();
    sessions.set(hex(sha256(token)), {
      clinicId: "clinic-a",
      person: { kind: "patient", id: person },
      staffRole: null,
    });
    return token;
  };
  return { store, resolver, plant };
}

describe("the session checks of one tick (SEC-2)", () => {
  it("SEC-2: checks asked in one tick are one call of the store, each distinct token once, each caller getting its own token's answer", async () => {
    const w = world();
    const [pat, bea] = [w.plant("pat"), w.plant("bea")];
    const unknown = newToken();
    const answers = await Promise.all([
      w.resolver.resolveToken(pat),
      w.resolver.resolveToken(unknown),
      w.resolver.resolveToken(pat),
      w.resolver.resolveToken(bea),
      w.resolver.resolveToken(null),
      w.resolver.resolveToken("not-a-token"),
      w.resolver.resolveToken(pat),
    ]);
    expect(answers.map((a) => a?.person.id ?? null)).toEqual(["pat", null, "pat", "bea", null, null, "pat"]);
    expect(w.store.singles).toEqual([]);
    expect(w.store.batches).toEqual([[pat, unknown, bea].map((t) => hex(sha256(t)))]);
  });

  it("SEC-2: a check alone in its tick is one single check; checks of later ticks are asked anew", async () => {
    const w = world();
    const pat = w.plant("pat");
    expect((await w.resolver.resolveToken(pat))?.person.id).toBe("pat");
    expect((await w.resolver.resolveToken(pat))?.person.id).toBe("pat");
    expect(w.store.singles).toEqual([hex(sha256(pat)), hex(sha256(pat))]);
    expect(w.store.batches).toEqual([]);
  });

  it("SEC-2: when the store fails, every check of that tick fails with its error, and the next tick is asked anew", async () => {
    const w = world();
    const [pat, bea] = [w.plant("pat"), w.plant("bea")];
    w.store.fail = new Error("database down");
    const failed = await Promise.allSettled([
      w.resolver.resolveToken(pat),
      w.resolver.resolveToken(bea),
      w.resolver.resolveToken(pat),
    ]);
    expect(failed.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "answered"))).toEqual([
      "database down",
      "database down",
      "database down",
    ]);
    w.store.fail = null;
    const answers = await Promise.all([w.resolver.resolveToken(pat), w.resolver.resolveToken(bea)]);
    expect(answers.map((a) => a?.person.id)).toEqual(["pat", "bea"]);
    expect(w.store.batches).toHaveLength(2);
  });
});
