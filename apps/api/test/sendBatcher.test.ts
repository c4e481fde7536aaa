import {
  type Actor,
  DomainError,
  type MessageView,
  type SendInput,
  type SendOutcome,
  type SendRequest,
} from "@clinic-chat/domain";
import { describe, expect, it } from "vitest";
import { createSendBatcher } from "../src/sends/sendBatcher";

/** A promise with its resolve and reject functions outside. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One call of the fake `sendMessages`: the sends it got, and the controls of its answer. */
interface Batch {
  readonly requests: readonly SendRequest[];
  readonly answer: ReturnType<typeof deferred<SendOutcome[]>>;
  settled: boolean;
}

/** The message the fake gives a send: its client id as the message id, so each caller can recognise its own. */
function viewOf({ actor, input }: SendRequest, seq = 1): MessageView {
  return {
    id: `msg-${input.clientId}`,
    conversationId: input.conversationId,
    seq,
    clientId: input.clientId,
    sender: actor.person,
    sentAt: new Date(0),
    body: { kind: "text", text: input.text },
  };
}

/** A fake `sendMessages` that records each batch and answers only when the test says so. */
function fakeSendMessages() {
  const batches: Batch[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sendMessages = (requests: readonly SendRequest[]): Promise<SendOutcome[]> => {
    const batch: Batch = { requests: [...requests], answer: deferred<SendOutcome[]>(), settled: false };
    batches.push(batch);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const done = () => {
      batch.settled = true;
      inFlight -= 1;
    };
    return batch.answer.promise.then(
      (outcomes) => {
        done();
        return outcomes;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };
  /** Answers batch `i` with every send's message. */
  const answerAll = (i: number) => {
    const batch = batches[i];
    if (!batch) throw new Error(`no batch ${i} (only ${batches.length})`);
    batch.answer.resolve(batch.requests.map((r) => ({ ok: true, message: viewOf(r) })));
  };
  return {
    sendMessages,
    batches,
    answerAll,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    /** The client ids of each batch, in order. */
    shape: () => batches.map((b) => b.requests.map((r) => r.input.clientId)),
  };
}

/** Lets the pending I/O callbacks and setImmediate callbacks (the batcher's pump) run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const clinicA = "clinic-a";
const clinicB = "clinic-b";
const actor = (clinicId: string, id: string): Actor => ({ clinicId, person: { kind: "staff", id } });
const input = (conversationId: string, clientId: string): SendInput => ({
  conversationId,
  clientId,
  text: `text of ${clientId}`,
});

/** How a promise ended, without letting an unhandled rejection escape. */
function track<T>(promise: Promise<T>) {
  const state: { status: "pending" | "resolved" | "rejected"; value?: T; error?: unknown } = {
    status: "pending",
  };
  promise.then(
    (value) => {
      state.status = "resolved";
      state.value = value;
    },
    (error: unknown) => {
      state.status = "rejected";
      state.error = error;
    },
  );
  return state;
}

describe("createSendBatcher: how sends are grouped (MSG-1)", () => {
  it("a lone send leaves alone, after the tick's I/O, and its caller gets its message", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    const sent = track(batcher.send(actor(clinicA, "s1"), input("c1", "a")));
    await Promise.resolve();
    expect(fake.batches).toHaveLength(0); // not yet: it waits for the tick's other requests
    await flush();
    expect(fake.shape()).toEqual([["a"]]);
    expect(fake.batches[0]?.requests[0]).toEqual({ actor: actor(clinicA, "s1"), input: input("c1", "a") });
    fake.answerAll(0);
    await flush();
    expect(sent).toMatchObject({ status: "resolved", value: { id: "msg-a", conversationId: "c1" } });
  });

  it("sends issued in one tick leave as one batch, in arrival order", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    const sent = ["a", "b", "c"].map((id, i) =>
      batcher.send(actor(clinicA, `s${i}`), input(`conv-${id}`, id)),
    );
    await flush();
    expect(fake.shape()).toEqual([["a", "b", "c"]]);
    fake.answerAll(0);
    const answers = await Promise.all(sent);
    expect(answers.map((m) => m.id)).toEqual(["msg-a", "msg-b", "msg-c"]);
  });

  it("with concurrency 1, sends arriving while a batch is in flight wait, then leave together as the next batch", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 1 });
    const first = batcher.send(actor(clinicA, "s1"), input("c1", "a"));
    await flush();
    expect(fake.shape()).toEqual([["a"]]);
    const later: Promise<MessageView>[] = [];
    for (const [i, id] of ["b", "c", "d"].entries()) {
      later.push(batcher.send(actor(clinicA, `s${i + 2}`), input(`c${i + 2}`, id)));
      await flush(); // each in its own tick
    }
    expect(fake.shape()).toEqual([["a"]]); // still only the first: the slot is busy
    fake.answerAll(0);
    await first;
    await flush();
    expect(fake.shape()).toEqual([["a"], ["b", "c", "d"]]);
    fake.answerAll(1);
    expect((await Promise.all(later)).map((m) => m.id)).toEqual(["msg-b", "msg-c", "msg-d"]);
  });

  it("MSG-1: two sends to one conversation never share a batch; the second leaves only once the first is answered, free slots or not", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 4 });
    const x1 = batcher.send(actor(clinicA, "s1"), input("X", "x1"));
    const x2 = track(batcher.send(actor(clinicA, "s1"), input("X", "x2")));
    const y = batcher.send(actor(clinicA, "s2"), input("Y", "y"));
    const x3 = track(batcher.send(actor(clinicA, "s2"), input("X", "x3")));
    await flush();
    expect(fake.shape()).toEqual([["x1", "y"]]); // x2 and x3 wait although three slots are free
    // A send to another conversation is not held back by them.
    const z = batcher.send(actor(clinicA, "s3"), input("Z", "z"));
    await flush();
    expect(fake.shape()).toEqual([["x1", "y"], ["z"]]);
    fake.answerAll(1);
    await flush();
    expect(fake.batches).toHaveLength(2);
    expect(x2.status).toBe("pending");
    fake.answerAll(0);
    await flush();
    expect(fake.shape()).toEqual([["x1", "y"], ["z"], ["x2"]]);
    expect(x3.status).toBe("pending");
    fake.answerAll(2);
    await flush();
    expect(fake.shape()).toEqual([["x1", "y"], ["z"], ["x2"], ["x3"]]);
    fake.answerAll(3);
    await flush();
    for (const batch of fake.batches) {
      const conversations = batch.requests.map((r) => r.input.conversationId);
      expect(new Set(conversations).size).toBe(conversations.length);
    }
    expect((await Promise.all([x1, y, z])).map((m) => m.id)).toEqual(["msg-x1", "msg-y", "msg-z"]);
    expect([x2, x3].map((s) => s.value?.id)).toEqual(["msg-x2", "msg-x3"]);
  });

  it("MSG-1: a refused or failed send still frees its conversation for the next one", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    const x1 = track(batcher.send(actor(clinicA, "s1"), input("X", "x1")));
    const x2 = track(batcher.send(actor(clinicA, "s1"), input("X", "x2")));
    const x3 = batcher.send(actor(clinicA, "s1"), input("X", "x3"));
    await flush();
    fake.batches[0]!.answer.resolve([{ ok: false, error: new DomainError("MESSAGE_EMPTY") }]);
    await flush();
    expect(x1.status).toBe("rejected");
    expect(fake.shape()).toEqual([["x1"], ["x2"]]);
    fake.batches[1]!.answer.reject(new Error("database down"));
    await flush();
    expect(x2.status).toBe("rejected");
    expect(fake.shape()).toEqual([["x1"], ["x2"], ["x3"]]);
    fake.answerAll(2);
    expect((await x3).id).toBe("msg-x3");
  });

  it("MSG-1: with one slot, a second send to a conversation leaves only once the first's batch has answered", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 1 });
    const x1 = track(batcher.send(actor(clinicA, "s1"), input("X", "x1")));
    const x2 = track(batcher.send(actor(clinicA, "s1"), input("X", "x2")));
    await flush();
    expect(fake.shape()).toEqual([["x1"]]);
    expect(x2.status).toBe("pending");
    fake.answerAll(0);
    await flush();
    expect(x1.status).toBe("resolved");
    expect(fake.shape()).toEqual([["x1"], ["x2"]]);
    fake.answerAll(1);
    await flush();
    expect(x2).toMatchObject({ status: "resolved", value: { id: "msg-x2" } });
  });

  it("ELIG-5: sends of two clinics never share a batch", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    const sent = [
      batcher.send(actor(clinicA, "a1"), input("ca1", "a1")),
      batcher.send(actor(clinicB, "b1"), input("cb1", "b1")),
      batcher.send(actor(clinicA, "a2"), input("ca2", "a2")),
      batcher.send(actor(clinicB, "b2"), input("cb2", "b2")),
    ];
    await flush();
    expect(fake.shape()).toEqual([
      ["a1", "a2"],
      ["b1", "b2"],
    ]);
    for (const batch of fake.batches) {
      expect(new Set(batch.requests.map((r) => r.actor.clinicId)).size).toBe(1);
    }
    fake.answerAll(0);
    fake.answerAll(1);
    expect((await Promise.all(sent)).map((m) => m.id)).toEqual(["msg-a1", "msg-b1", "msg-a2", "msg-b2"]);
  });

  it("maxBatch is honoured: the rest leave in later batches, in order", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { maxBatch: 2, concurrency: 1 });
    const ids = ["a", "b", "c", "d", "e"];
    const sent = ids.map((id) => batcher.send(actor(clinicA, "s"), input(`conv-${id}`, id)));
    await flush();
    expect(fake.shape()).toEqual([["a", "b"]]);
    fake.answerAll(0);
    await flush();
    fake.answerAll(1);
    await flush();
    fake.answerAll(2);
    expect((await Promise.all(sent)).map((m) => m.id)).toEqual(ids.map((id) => `msg-${id}`));
    expect(fake.shape()).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("maxBatch 64 by default", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 1 });
    const sent = Array.from({ length: 65 }, (_, i) =>
      batcher.send(actor(clinicA, "s"), input(`conv-${i}`, `m${i}`)),
    );
    await flush();
    expect(fake.batches.map((b) => b.requests.length)).toEqual([64]);
    fake.answerAll(0);
    await flush();
    expect(fake.batches.map((b) => b.requests.length)).toEqual([64, 1]);
    fake.answerAll(1);
    expect(await Promise.all(sent)).toHaveLength(65);
  });
});

describe("createSendBatcher: batches in flight", () => {
  it("never more than `concurrency` batches in flight; a freed slot takes the next", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 2, maxBatch: 1 });
    const ids = ["a", "b", "c", "d", "e", "f"];
    const sent = ids.map((id) => track(batcher.send(actor(clinicA, "s"), input(`conv-${id}`, id))));
    await flush();
    expect(fake.shape()).toEqual([["a"], ["b"]]);
    expect(fake.inFlight).toBe(2);
    // Free the second slot first: the next send takes it, the first is still in flight.
    fake.answerAll(1);
    await flush();
    expect(fake.shape()).toEqual([["a"], ["b"], ["c"]]);
    expect(fake.inFlight).toBe(2);
    for (let i = 0; i < ids.length; i++) {
      if (!fake.batches[i]?.settled) fake.answerAll(i);
      await flush();
      expect(fake.inFlight).toBeLessThanOrEqual(2);
    }
    expect(fake.maxInFlight).toBe(2);
    expect(fake.shape()).toEqual(ids.map((id) => [id]));
    expect(sent.map((s) => s.status)).toEqual(ids.map(() => "resolved"));
  });

  it("four batches in flight by default, never a fifth", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    // Six sends of six clinics: one batch each.
    const sent = Array.from({ length: 6 }, (_, i) =>
      batcher.send(actor(`clinic-${i}`, "s"), input(`conv-${i}`, `m${i}`)),
    );
    await flush();
    expect(fake.batches).toHaveLength(4);
    fake.answerAll(0);
    await flush();
    expect(fake.batches).toHaveLength(5);
    for (const i of [1, 2, 3, 4]) fake.answerAll(i);
    await flush();
    fake.answerAll(5);
    await Promise.all(sent);
    expect(fake.maxInFlight).toBe(4);
  });

  it("a concurrency below 1 still sends, one batch at a time", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 0, maxBatch: 0 });
    const sent = [
      batcher.send(actor(clinicA, "s"), input("X", "a")),
      batcher.send(actor(clinicA, "s"), input("Y", "b")),
    ];
    await flush();
    expect(fake.shape()).toEqual([["a"]]);
    fake.answerAll(0);
    await flush();
    fake.answerAll(1);
    expect((await Promise.all(sent)).map((m) => m.id)).toEqual(["msg-a", "msg-b"]);
  });
});

describe("createSendBatcher: each caller gets its own outcome (MSG-1)", () => {
  it("a refusal reaches only its caller, with the refusal itself", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    const a = track(batcher.send(actor(clinicA, "s1"), input("c1", "a")));
    const b = track(batcher.send(actor(clinicA, "s2"), input("c2", "b")));
    const c = track(batcher.send(actor(clinicA, "s3"), input("c3", "c")));
    await flush();
    expect(fake.shape()).toEqual([["a", "b", "c"]]);
    const refusal = new DomainError("MESSAGE_EMPTY");
    const [ra, , rc] = fake.batches[0]!.requests;
    fake.batches[0]!.answer.resolve([
      { ok: true, message: viewOf(ra!, 7) },
      { ok: false, error: refusal },
      { ok: true, message: viewOf(rc!, 9) },
    ]);
    await flush();
    expect(a).toMatchObject({ status: "resolved", value: { id: "msg-a", seq: 7 } });
    expect(b.status).toBe("rejected");
    expect(b.error).toBe(refusal);
    expect(c).toMatchObject({ status: "resolved", value: { id: "msg-c", seq: 9 } });
  });

  it("a thrown error rejects every send of that batch with it; other and later batches still work", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages, { concurrency: 2 });
    const a = track(batcher.send(actor(clinicA, "s1"), input("c1", "a")));
    const b = track(batcher.send(actor(clinicA, "s2"), input("c2", "b")));
    const other = track(batcher.send(actor(clinicB, "s3"), input("c3", "other")));
    await flush();
    expect(fake.shape()).toEqual([["a", "b"], ["other"]]);
    const broken = new Error("database down");
    fake.batches[0]!.answer.reject(broken);
    fake.answerAll(1);
    await flush();
    expect(a).toMatchObject({ status: "rejected", error: broken });
    expect(b.error).toBe(broken);
    expect(other).toMatchObject({ status: "resolved", value: { id: "msg-other" } });
    const later = batcher.send(actor(clinicA, "s1"), input("c1", "later"));
    await flush();
    expect(fake.shape()).toEqual([["a", "b"], ["other"], ["later"]]);
    fake.answerAll(2);
    expect((await later).id).toBe("msg-later");
  });

  it("a sendMessages that throws synchronously rejects its batch and frees its slot", async () => {
    const calls: string[][] = [];
    const batcher = createSendBatcher(
      (requests) => {
        calls.push(requests.map((r) => r.input.clientId));
        if (calls.length === 1) throw new Error("sync boom");
        return Promise.resolve(requests.map((r) => ({ ok: true as const, message: viewOf(r) })));
      },
      { concurrency: 1 },
    );
    await expect(batcher.send(actor(clinicA, "s"), input("c1", "a"))).rejects.toThrow("sync boom");
    await expect(batcher.send(actor(clinicA, "s"), input("c1", "b"))).resolves.toMatchObject({ id: "msg-b" });
    expect(calls).toEqual([["a"], ["b"]]);
  });

  it("a batch answering fewer outcomes than sends rejects the missing ones with an Error", async () => {
    const fake = fakeSendMessages();
    const batcher = createSendBatcher(fake.sendMessages);
    const a = track(batcher.send(actor(clinicA, "s1"), input("c1", "a")));
    const b = track(batcher.send(actor(clinicA, "s2"), input("c2", "b")));
    const c = track(batcher.send(actor(clinicA, "s3"), input("c3", "c")));
    await flush();
    fake.batches[0]!.answer.resolve([{ ok: true, message: viewOf(fake.batches[0]!.requests[0]!) }]);
    await flush();
    expect(a).toMatchObject({ status: "resolved", value: { id: "msg-a" } });
    for (const missing of [b, c]) {
      expect(missing.status).toBe("rejected");
      expect(missing.error).toBeInstanceOf(Error);
      expect(missing.error).not.toBeInstanceOf(DomainError);
    }
  });
});
