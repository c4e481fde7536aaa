import { afterEach, describe, expect, it, vi } from "vitest";
import type { StoredAuditEvent } from "../../src/audit/AuditEvent";
import { type HistoryRead, type HistoryReadResult, readHistories } from "../../src/chat/readHistory";
import { isDomainError } from "../../src/shared/DomainError";
import type { ChatDeps } from "../../src/shared/deps";
import type { UnitOfWork } from "../../src/shared/UnitOfWork";
import { auditTrail, createWorld, patientConversation, type World } from "./support/world";

// readHistories is the live path's reads of one tick as one unit of work: each read must answer,
// and be audited, exactly as its own readHistory call would (SEC-3). Every comparison is against a
// twin world built the same way (same ids, same clock) and read with separate readHistory calls.

/** A world with conversations and messages, patient chat off in clinic A, and a mix of reads. */
async function scenario(): Promise<{ world: World; reads: HistoryRead[] }> {
  const world = await createWorld();
  const { a, b } = world;
  const mine = await patientConversation(world, a.practitioner, a.patient);
  const other = await patientConversation(world, a.practitioner, a.patientEmailOnly);
  const foreign = await patientConversation(world, b.practitioner, b.patient);
  // Client ids of its own (the shared helper's counter differs between the twins).
  const say = (actor: HistoryRead["actor"], conversationId: string, text: string) =>
    world.chat.sendMessage(actor, { conversationId, clientId: text, text });
  for (const n of [1, 2, 3, 4]) {
    await say(a.practitioner, mine, `first ${n}`);
    await say(a.practitioner, other, `second ${n}`);
    await say(b.practitioner, foreign, `foreign ${n}`);
  }
  await world.chat.changeClinicSettings(a.admin, { patientChatEnabled: false });
  world.clock.advanceSeconds(5);
  const read = (
    actor: HistoryRead["actor"],
    conversationId: string,
    limit = 10,
    beforeSeq: number | null = null,
  ) => ({ actor, conversationId, beforeSeq, limit }) satisfies HistoryRead;
  return {
    world,
    reads: [
      read(a.practitioner, mine), // allowed
      read(a.frontDesk, mine), // not a participant: NOT_FOUND (ELIG-4)
      read(a.practitioner, foreign), // another clinic's conversation: NOT_FOUND (ELIG-5)
      read(a.deactivated, mine), // STAFF_INACTIVE (ELIG-6)
      read(a.patient, mine), // patient chat off: still readable, read-only (ENT-3)
      read(a.practitioner, other, 0), // bad limit: INVALID_INPUT
      read(a.frontDesk, foreign, 0), // not found comes before the limit
      read(a.practitioner, other, 2, 4), // allowed, a page before seq 4
    ],
  };
}

/** What a result says, comparable across worlds. */
function comparable(result: HistoryReadResult) {
  return result.ok
    ? { ok: true, value: result.value }
    : { ok: false, code: result.error.code, message: result.error.message, details: result.error.details };
}

/** The audit records added after `before`, without their storage ids, in a stable order. */
function added(trail: StoredAuditEvent[], before: number) {
  return trail
    .slice(before)
    .map(({ id: _id, ...record }) => record)
    .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

/** The same reads as separate readHistory calls. */
async function separately(world: World, reads: readonly HistoryRead[]) {
  const results: ReturnType<typeof comparable>[] = [];
  for (const read of reads) {
    try {
      const value = await world.chat.readHistory(read.actor, read);
      results.push(comparable({ ok: true, value }));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      results.push(comparable({ ok: false, error }));
    }
  }
  return results;
}

/** Counts the units of work run through `world`'s unit of work. */
function countRuns(world: World): { readonly count: () => number } {
  const run = vi.spyOn(world.uow, "run");
  return { count: () => run.mock.calls.length };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("readHistories: one tick's history reads of a clinic as one unit of work (SEC-3)", () => {
  it("SEC-3 ELIG-4/5/6 ENT-4: every read answers and is audited exactly as its own readHistory call, in one unit of work plus one per refusal", async () => {
    const batched = await scenario();
    const twin = await scenario();
    const { a, b } = batched.world;
    const before = {
      a: (await auditTrail(batched.world, a.clinicId)).length,
      b: (await auditTrail(batched.world, b.clinicId)).length,
    };
    const twinBefore = {
      a: (await auditTrail(twin.world, a.clinicId)).length,
      b: (await auditTrail(twin.world, b.clinicId)).length,
    };
    expect(twinBefore).toEqual(before);

    const runs = countRuns(batched.world);
    const results = await batched.world.chat.readHistories(a.clinicId, batched.reads);
    const units = runs.count();
    // The same actors (their addresses too: the record carries the actor's ip) in the twin.
    const expected = await separately(twin.world, batched.reads);

    expect(results.map(comparable)).toEqual(expected);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual([
      "ok",
      "NOT_FOUND",
      "NOT_FOUND",
      "STAFF_INACTIVE",
      "ok",
      "INVALID_INPUT",
      "NOT_FOUND",
      "ok",
    ]);
    const first = results[0]!;
    expect(first.ok && first.value.messages.map((m) => m.body)).toEqual(
      [4, 3, 2, 1].map((n) => ({ kind: "text", text: `first ${n}` })),
    );
    const patientsRead = results[4]!;
    expect(patientsRead.ok && patientsRead.value.messages.map((m) => m.body)).toEqual(
      [4, 3, 2, 1].map((n) => ({ kind: "text", text: `first ${n}` })),
    );
    const last = results[7]!;
    expect(last.ok && last.value.messages.map((m) => m.seq)).toEqual([3, 2]);
    expect(last.ok && last.value.nextBeforeSeq).toBe(2);

    const trailA = await auditTrail(batched.world, a.clinicId);
    const twinTrailA = await auditTrail(twin.world, a.clinicId);
    expect(added(trailA, before.a)).toEqual(added(twinTrailA, twinBefore.a));
    expect(trailA.slice(before.a).map((r) => [r.outcome, r.reason])).toEqual([
      ["success", null],
      ["success", null],
      ["success", null],
      ["denied", "NOT_FOUND"],
      ["denied", "NOT_FOUND"],
      ["denied", "STAFF_INACTIVE"],
      ["denied", "INVALID_INPUT"],
      ["denied", "NOT_FOUND"],
    ]);
    expect(added(await auditTrail(batched.world, b.clinicId), before.b)).toEqual([]);
    // One for the batch, one per refusal (its denied record, as audited writes it).
    expect(units).toBe(1 + 5);
  });

  it("SEC-3: only allowed reads: one unit of work for all of them", async () => {
    const { world } = await scenario();
    const { a } = world;
    const conversations = await world.chat.listConversations(a.practitioner, { limit: 10 });
    const ids = conversations.items.map((c) => c.conversation.id);
    expect(ids).toHaveLength(2);
    const runs = countRuns(world);
    const results = await world.chat.readHistories(
      a.clinicId,
      ids.map((conversationId) => ({ actor: a.practitioner, conversationId, beforeSeq: null, limit: 5 })),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(runs.count()).toBe(1);
  });

  it("SEC-3: a read that goes to several addresses (a person's devices) records a success for each distinct one; a refused read records its denial once", async () => {
    const { world, reads } = await scenario();
    const { a } = world;
    const before = (await auditTrail(world, a.clinicId)).length;
    const practitioner = { ...a.practitioner, ip: "198.51.100.7" };
    const results = await world.chat.readHistories(a.clinicId, [
      // Phone and desktop, the desktop twice (two tabs): two records.
      { ...reads[0]!, actor: practitioner, addresses: ["198.51.100.7", "203.0.113.9", "203.0.113.9"] },
      // No addresses given, or none left: the actor's own.
      { ...reads[7]!, actor: practitioner, addresses: [] },
      // Refused: nothing reached anyone, one denial with the actor's address.
      { ...reads[1]!, actor: { ...a.frontDesk, ip: "192.0.2.1" }, addresses: ["192.0.2.1", "192.0.2.2"] },
    ]);
    expect(results.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(["ok", "ok", "NOT_FOUND"]);
    const added = (await auditTrail(world, a.clinicId)).slice(before);
    expect(added.map((r) => [r.outcome, r.actor?.id, r.conversationId, r.ip])).toEqual([
      ["success", a.practitioner.person.id, reads[0]!.conversationId, "198.51.100.7"],
      ["success", a.practitioner.person.id, reads[0]!.conversationId, "203.0.113.9"],
      ["success", a.practitioner.person.id, reads[7]!.conversationId, "198.51.100.7"],
      ["denied", a.frontDesk.person.id, reads[1]!.conversationId, "192.0.2.1"],
    ]);
  });

  it("SEC-4: a read whose actor is of another clinic answers NOT_FOUND and touches nothing; an empty list runs no unit of work", async () => {
    const { world, reads } = await scenario();
    const { a, b } = world;
    const trailA = (await auditTrail(world, a.clinicId)).length;
    const trailB = (await auditTrail(world, b.clinicId)).length;
    const runs = countRuns(world);
    expect(await world.chat.readHistories(a.clinicId, [])).toEqual([]);
    const foreign = await world.chat.readHistories(a.clinicId, [{ ...reads[0]!, actor: b.practitioner }]);
    expect(foreign.map((r) => !r.ok && r.error.code)).toEqual(["NOT_FOUND"]);
    expect(runs.count()).toBe(0);
    expect((await auditTrail(world, a.clinicId)).length).toBe(trailA);
    expect((await auditTrail(world, b.clinicId)).length).toBe(trailB);
  });

  it("SEC-3: a failing store fails the call and records a failure for every read (best effort)", async () => {
    const { world, reads } = await scenario();
    const { a } = world;
    const broken = new Error("database unreachable");
    let failing = true;
    const uow: UnitOfWork = {
      run: (clinicId, work) =>
        world.uow.run(clinicId, (stores) =>
          work(
            failing
              ? {
                  ...stores,
                  conversations: {
                    ...stores.conversations,
                    standingsIn: async () => {
                      throw broken;
                    },
                  },
                }
              : stores,
          ),
        ),
    };
    const deps: ChatDeps = { ...world.deps, uow };
    const before = (await auditTrail(world, a.clinicId)).length;
    const call = readHistories(deps, a.clinicId, reads);
    await expect(call).rejects.toBe(broken);
    failing = false;
    const records = (await auditTrail(world, a.clinicId)).slice(before);
    expect(records.map((r) => [r.actor, r.conversationId, r.outcome, r.reason, r.ip])).toEqual(
      reads.map((read) => [read.actor.person, read.conversationId, "failure", null, read.actor.ip]),
    );
  });
});
