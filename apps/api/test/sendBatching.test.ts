import type { PersonRef, SendRequest, StoredAuditEvent } from "@clinic-chat/domain";
import { TRPCClientError } from "@trpc/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Session } from "../src/auth/session";
import type { AppRouter } from "../src/router";
import { deferred, startTestApi, type TestApi } from "./support/api";

/**
 * `messages.send` through the real HTTP stack while many sends arrive together, so the batcher
 * (src/sends/sendBatcher.ts) groups them: every caller must still get its own answer or refusal,
 * and the audit trail one record per call (MSG-1, SEC-3).
 */
let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await api.close();
});

/**
 * Records every batch `messages.send` hands to the chat's `sendMessages`, and holds them all until
 * the returned `release` is called, so the sends that arrive meanwhile queue up and leave together.
 */
function holdBatches() {
  const chat = api.deps.chat;
  const original = chat.sendMessages;
  const gate = deferred();
  const batches: SendRequest[][] = [];
  const firstBatch = deferred();
  vi.spyOn(chat, "sendMessages").mockImplementation(async (requests) => {
    batches.push([...requests]);
    firstBatch.resolve();
    await gate.promise;
    return original(requests);
  });
  // Counts the sends that reached the batcher, so a test can wait for all of them.
  const sends = api.deps.sends;
  const send = sends.send.bind(sends);
  let arrived = 0;
  vi.spyOn(sends, "send").mockImplementation((actor, input) => {
    arrived++;
    return send(actor, input);
  });
  const allArrived = async (count: number): Promise<void> => {
    for (let waited = 0; arrived < count; waited += 10) {
      if (waited > 10_000) throw new Error(`only ${arrived} of ${count} sends reached the server`);
      await sleep(10);
    }
  };
  return { batches, firstBatch: firstBatch.promise, allArrived, release: gate.resolve };
}

/** The `message.send` audit records committed so far. */
function sendAudits(): StoredAuditEvent[] {
  const world = api.memory.dump() as { audit: StoredAuditEvent[] };
  return world.audit.filter((e) => e.action === "message.send");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Call {
  readonly session: Session;
  readonly conversationId: string;
  readonly clientId: string;
  readonly text: string;
  /** The refusal this call must get, when it must be refused. */
  readonly refused?: { code: string; domainCode: string };
}

describe("messages.send under concurrent load, through the batcher (MSG-1, SEC-3)", () => {
  it("MSG-1/SEC-3: many concurrent sends each get their own message, gapless seqs, full histories; a refusal only its own error; one audit record per call", async () => {
    const { a, b } = api.world;
    const as = (s: Session) => api.clientAs(s);
    const doctor = a.sessionOf(a.doctor);
    const patient = a.sessionOf(a.patient);
    const nurse = a.sessionOf(a.nurse);
    const admin = a.sessionOf(a.admin);
    const bAdmin = b.sessionOf(b.admin);

    const convD = (await as(doctor).conversations.startWithPatient.mutate({ patientId: a.patient.id }))
      .conversation.id;
    const team = async (starter: Session, other: string) =>
      (await as(starter).conversations.startTeam.mutate({ staffIds: [other] })).conversation.id;
    const convN = await team(nurse, a.admin.id);
    const convW = await team(admin, a.awayDoctor.id);
    const convT = await team(doctor, a.nurse.id);
    const convX = await team(a.sessionOf(a.awayDoctor), a.nurse.id);
    const convB = await team(bAdmin, b.nurse.id);
    const convB2 = await team(b.sessionOf(b.doctor), b.nurse.id);
    // Conversations only a refused send goes to, so the refusal can share a batch with others' sends.
    const convR = await team(admin, a.doctor.id);
    const convRB = await team(bAdmin, b.doctor.id);
    expect(new Set([convD, convN, convW, convT, convX, convB, convB2, convR, convRB]).size).toBe(9);
    const auditsBefore = sendAudits().length;

    const calls: Call[] = [];
    const add = (session: Session, conversationId: string, prefix: string, n: number) => {
      for (let i = 1; i <= n; i++)
        calls.push({ session, conversationId, clientId: `${prefix}-${i}`, text: `${prefix} says ${i}` });
    };
    // Several senders into one conversation, and several senders into their own.
    add(doctor, convD, "doc", 3);
    add(patient, convD, "pat", 3);
    add(nurse, convN, "nurse", 2);
    add(admin, convW, "admin", 2);
    add(doctor, convT, "docTeam", 2);
    add(a.sessionOf(a.awayDoctor), convX, "away", 2);
    add(bAdmin, convB, "bAdmin", 2);
    add(b.sessionOf(b.doctor), convB2, "bDoctor", 2);
    // Refusals mixed in: each must reach its own caller only.
    const refusals: Call[] = [
      {
        session: patient,
        conversationId: convR, // a team chat: the patient is not in it
        clientId: "pat-intruder",
        text: "let me in",
        refused: { code: "NOT_FOUND", domainCode: "NOT_FOUND" },
      },
      {
        session: b.sessionOf(b.doctor),
        conversationId: convRB,
        clientId: "bDoctor-blank",
        text: "     ", // passes the edge, empty after trimming (MSG-1)
        refused: { code: "BAD_REQUEST", domainCode: "MESSAGE_EMPTY" },
      },
      {
        session: patient,
        conversationId: convD,
        clientId: "pat-long",
        text: "x".repeat(4001),
        refused: { code: "BAD_REQUEST", domainCode: "MESSAGE_TOO_LONG" },
      },
    ];
    calls.splice(5, 0, refusals[0]!);
    calls.splice(16, 0, refusals[1]!);
    calls.push(refusals[2]!);

    const held = holdBatches();
    const settled = Promise.allSettled(
      calls.map((c) =>
        as(c.session).messages.send.mutate({
          conversationId: c.conversationId,
          clientId: c.clientId,
          text: c.text,
        }),
      ),
    );
    await held.firstBatch;
    await held.allArrived(calls.length); // the others queue behind the held batches
    held.release();
    const results = await settled;

    // The load was really batched: some batch carried several sends, each batch one clinic, one send per conversation.
    expect(Math.max(...held.batches.map((batch) => batch.length))).toBeGreaterThan(1);
    for (const batch of held.batches) {
      expect(new Set(batch.map((r) => r.actor.clinicId)).size).toBe(1);
      expect(new Set(batch.map((r) => r.input.conversationId)).size).toBe(batch.length);
    }
    expect(
      held.batches
        .flat()
        .map((r) => r.input.clientId)
        .sort(),
    ).toEqual(calls.map((c) => c.clientId).sort());
    // A refusal shared a batch with others' sends (the batched path, not the lone one), given the
    // arrival order above: the refused conversations are free when the held batches are answered.
    const refusedIds = new Set(refusals.map((c) => c.clientId));
    expect(
      held.batches.some((batch) => batch.length > 1 && batch.some((r) => refusedIds.has(r.input.clientId))),
    ).toBe(true);

    // Each caller gets its own message, or its own refusal.
    const sentIds = new Map<string, string>(); // clientId → message id
    for (const [i, call] of calls.entries()) {
      const result = results[i]!;
      if (call.refused) {
        expect(result.status, call.clientId).toBe("rejected");
        const error = (result as PromiseRejectedResult).reason;
        expect(error).toBeInstanceOf(TRPCClientError);
        expect((error as TRPCClientError<AppRouter>).data).toMatchObject(call.refused);
        continue;
      }
      expect(result.status, call.clientId).toBe("fulfilled");
      const message = (result as PromiseFulfilledResult<Awaited<ReturnType<typeof sendOnce>>>).value;
      expect(message).toMatchObject({
        conversationId: call.conversationId,
        clientId: call.clientId,
        sender: call.session.person,
        body: { kind: "text", text: call.text },
      });
      sentIds.set(call.clientId, message.id);
    }
    const accepted = calls.filter((c) => !c.refused);
    expect(new Set(sentIds.values()).size).toBe(accepted.length); // no two callers got the same message

    // Per conversation: seqs 1..n without gaps, and the history holds each message exactly once.
    const readers: [string, Session][] = [
      [convD, patient],
      [convN, admin],
      [convW, a.sessionOf(a.awayDoctor)],
      [convT, nurse],
      [convX, nurse],
      [convB, b.sessionOf(b.nurse)],
      [convB2, b.sessionOf(b.nurse)],
    ];
    for (const [conversationId, reader] of readers) {
      const mine = accepted.filter((c) => c.conversationId === conversationId);
      const page = await as(reader).conversations.history.query({ conversationId, limit: 100 });
      const seqs = page.messages.map((m) => m.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(mine.map((_, i) => i + 1));
      expect(page.messages.map((m) => m.id).sort()).toEqual(mine.map((c) => sentIds.get(c.clientId)).sort());
      for (const m of page.messages) {
        const call = mine.find((c) => c.clientId === m.clientId);
        expect(m).toMatchObject({ sender: call?.session.person, body: { kind: "text", text: call?.text } });
      }
    }

    // SEC-3: exactly one `message.send` record per call, with the right actor, ids and outcome.
    const audits = sendAudits().slice(auditsBefore);
    expect(audits).toHaveLength(calls.length);
    for (const call of accepted) {
      const records = audits.filter((e) => e.messageId === sentIds.get(call.clientId));
      expect(records, call.clientId).toHaveLength(1);
      expect(records[0]).toMatchObject({
        clinicId: call.session.clinicId,
        actor: call.session.person,
        conversationId: call.conversationId,
        outcome: "success",
        reason: null,
      });
      expect(records[0]?.ip).toBeTruthy();
    }
    const denied = audits.filter((e) => e.outcome !== "success");
    expect(denied).toHaveLength(refusals.length);
    for (const call of refusals) {
      const matching = denied.filter(
        (e) =>
          samePersonRef(e.actor, call.session.person) &&
          e.conversationId === call.conversationId &&
          e.reason === call.refused?.domainCode,
      );
      expect(matching, call.clientId).toHaveLength(1);
      expect(matching[0]).toMatchObject({ outcome: "denied", clinicId: call.session.clinicId });
      expect(matching[0]?.messageId ?? null).toBeNull();
    }
  });

  it("MSG-1: a send retried concurrently with the same clientId returns the same message, stored once", async () => {
    const { a } = api.world;
    const doctorSession = a.sessionOf(a.doctor);
    const doctor = api.clientAs(doctorSession);
    const patient = api.clientAs(a.sessionOf(a.patient));
    const conversationId = (await doctor.conversations.startWithPatient.mutate({ patientId: a.patient.id }))
      .conversation.id;
    const auditsBefore = sendAudits().length;
    const held = holdBatches();

    const retries = Array.from({ length: 4 }, () => sendOnce(doctor, conversationId, "retry-1", "Only once"));
    // A different message of the same sender in the same burst, into the same conversation.
    const other = sendOnce(doctor, conversationId, "retry-other", "Another one");
    await held.firstBatch;
    await held.allArrived(5);
    held.release();
    const answers = await Promise.all(retries);
    const otherAnswer = await other;

    expect(new Set(answers.map((m) => m.id)).size).toBe(1);
    expect(answers.map((m) => m.seq)).toEqual(answers.map(() => answers[0]!.seq));
    expect(otherAnswer.id).not.toBe(answers[0]!.id);
    // The same conversation never shares a batch: one batch per call.
    expect(held.batches.map((batch) => batch.length)).toEqual(held.batches.map(() => 1));
    expect(held.batches).toHaveLength(5);

    const page = await patient.conversations.history.query({ conversationId, limit: 100 });
    expect(page.messages.filter((m) => m.clientId === "retry-1")).toHaveLength(1);
    expect(page.messages.map((m) => m.seq).sort()).toEqual([1, 2]);

    const audits = sendAudits().slice(auditsBefore);
    expect(audits).toHaveLength(5);
    expect(audits.filter((e) => e.messageId === answers[0]!.id && e.outcome === "success")).toHaveLength(4);
  });
});

function sendOnce(
  client: ReturnType<TestApi["clientAs"]>,
  conversationId: string,
  clientId: string,
  text: string,
) {
  return client.messages.send.mutate({ conversationId, clientId, text });
}

function samePersonRef(x: PersonRef | null, y: PersonRef): boolean {
  return x !== null && x.kind === y.kind && x.id === y.id;
}
