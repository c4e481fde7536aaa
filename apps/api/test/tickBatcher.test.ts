import { describe, expect, it } from "vitest";
import { answerEach, createTickBatcher, type Outcome } from "../src/batching/tickBatcher";

// The one helper behind the per-tick batches (session checks, live session checks, live history
// reads): what leaves together, in what order, and which caller gets which answer.

/** A batch function that records each batch and answers each key doubled, or as `answer` says. */
function recorder(answer: (key: number) => Outcome<number> = (key) => ({ ok: true, value: key * 2 })) {
  const batches: number[][] = [];
  const run = async (keys: readonly number[]) => {
    batches.push([...keys]);
    return keys.map(answer);
  };
  return { batches, run };
}

/** Lets the pending I/O callbacks and setImmediate callbacks run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createTickBatcher: what leaves together", () => {
  it("the items asked in one tick leave as one batch, in the order asked, each caller getting its own answer", async () => {
    const { batches, run } = recorder();
    const batcher = createTickBatcher(run, { window: "microtasks" });
    const answers = await Promise.all([3, 1, 2, 1].map((key) => batcher.load(key)));
    expect(answers).toEqual([6, 2, 4, 2]);
    // No deduplication of its own: every item is run (the cache is off).
    expect(batches).toEqual([[3, 1, 2, 1]]);
  });

  it("items of different ticks leave as different batches", async () => {
    const { batches, run } = recorder();
    const batcher = createTickBatcher(run, { window: "microtasks" });
    expect(await batcher.load(1)).toBe(2);
    expect(await batcher.load(2)).toBe(4);
    expect(batches).toEqual([[1], [2]]);
  });

  it("the microtasks window leaves before the turn's I/O; the io window waits for it and takes the items asked in between", async () => {
    for (const window of ["microtasks", "io"] as const) {
      const { batches, run } = recorder();
      const batcher = createTickBatcher(run, { window });
      const first = batcher.load(1);
      await Promise.resolve();
      await Promise.resolve();
      const second = batcher.load(2); // after a few promise jobs, still before the next turn
      await nextTurn();
      await Promise.all([first, second]);
      expect({ window, batches }).toEqual({
        window,
        batches: window === "microtasks" ? [[1], [2]] : [[1, 2]],
      });
    }
  });

  it("maxBatchSize splits a tick's items into batches of at most that many, in order", async () => {
    const { batches, run } = recorder();
    const batcher = createTickBatcher(run, { window: "io", maxBatchSize: 2 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((key) => batcher.load(key)));
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("groupOf keeps groups apart: one batch per group per tick, in the order the groups were first asked", async () => {
    const { batches, run } = recorder();
    const batcher = createTickBatcher(run, { window: "microtasks", groupOf: (key) => key % 2 });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((key) => batcher.load(key)));
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([
      [1, 3, 5],
      [2, 4],
    ]);
    await Promise.all([6, 7].map((key) => batcher.load(key)));
    expect(batches.slice(2)).toEqual([[6], [7]]);
  });

  it("a group's batch answers on its own: a slow group does not hold back another's answers", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = createTickBatcher(
      async (keys: readonly string[]) => {
        if (keys[0] === "slow") await held;
        return keys.map((key) => ({ ok: true as const, value: key.toUpperCase() }));
      },
      { window: "microtasks", groupOf: (key) => key },
    );
    const slow = batcher.load("slow");
    expect(await batcher.load("fast")).toBe("FAST");
    release();
    expect(await slow).toBe("SLOW");
  });
});

describe("createTickBatcher: errors", () => {
  it("an item's refusal reaches only its caller, with the refusal itself (even when it is no Error)", async () => {
    const refusal = { code: "NOT_FOUND" };
    const { run } = recorder((key) => (key === 2 ? { ok: false, error: refusal } : { ok: true, value: key }));
    const batcher = createTickBatcher(run, { window: "microtasks" });
    const outcomes = await Promise.allSettled([1, 2, 3].map((key) => batcher.load(key)));
    expect(outcomes).toEqual([
      { status: "fulfilled", value: 1 },
      { status: "rejected", reason: refusal },
      { status: "fulfilled", value: 3 },
    ]);
  });

  it("an Error answered as a value is a value, not a refusal", async () => {
    const value = new Error("a value that happens to be an Error");
    const batcher = createTickBatcher(
      async (keys: readonly number[]) => keys.map(() => ({ ok: true, value })),
      {
        window: "microtasks",
      },
    );
    expect(await batcher.load(1)).toBe(value);
  });

  it("a batch that rejects, or throws before its first await, rejects each of its items with that very error; the next tick runs anew", async () => {
    for (const failing of [
      async () => Promise.reject(new Error("database down")),
      () => {
        throw new Error("database down");
      },
    ]) {
      const broken = { calls: 0 };
      const batcher = createTickBatcher(
        (keys: readonly number[]) => {
          broken.calls++;
          if (broken.calls === 1) return failing();
          return Promise.resolve(keys.map((key) => ({ ok: true as const, value: key })));
        },
        { window: "microtasks" },
      );
      const failed = await Promise.allSettled([1, 2].map((key) => batcher.load(key)));
      expect(failed.map((o) => (o.status === "rejected" ? (o.reason as Error).message : o.value))).toEqual([
        "database down",
        "database down",
      ]);
      expect(await batcher.load(3)).toBe(3);
    }
  });

  it("a failed batch rejects only its own items: another group's batch of the same tick is answered", async () => {
    const batcher = createTickBatcher(
      async (keys: readonly string[]) => {
        if (keys[0] === "broken") throw new Error("database down");
        return keys.map((key) => ({ ok: true as const, value: key }));
      },
      { window: "io", groupOf: (key) => key },
    );
    const outcomes = await Promise.allSettled([batcher.load("broken"), batcher.load("fine")]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "fulfilled"]);
  });

  it("an item the batch gave no answer for fails alone, with an Error", async () => {
    const batcher = createTickBatcher(async (keys: readonly number[]) => [{ ok: true, value: keys[0]! }], {
      window: "microtasks",
    });
    const outcomes = await Promise.allSettled([1, 2, 3].map((key) => batcher.load(key)));
    expect(outcomes[0]).toEqual({ status: "fulfilled", value: 1 });
    for (const missing of outcomes.slice(1)) {
      expect(missing.status).toBe("rejected");
      expect((missing as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    }
  });
});

describe("answerEach: a batch formed by a scheduler of its own", () => {
  const waiting = () => {
    const settled: string[] = [];
    const callers = ["a", "b", "c"].map((name) => ({
      resolve: (value: number) => settled.push(`${name}=${value}`),
      reject: (error: unknown) => settled.push(`${name}!${(error as Error).message ?? String(error)}`),
    }));
    return { settled, callers };
  };

  it("each caller gets its own outcome; a missing one fails alone", async () => {
    const { settled, callers } = waiting();
    await answerEach(callers, async () => [
      { ok: true, value: 1 },
      { ok: false, error: new Error("refused") },
    ]);
    expect(settled).toEqual(["a=1", "b!refused", "c!the batch gave no answer for this item"]);
  });

  it("a run that throws or rejects rejects every caller with that error", async () => {
    for (const run of [
      () => {
        throw new Error("sync boom");
      },
      async () => Promise.reject(new Error("async boom")),
    ]) {
      const { settled, callers } = waiting();
      await answerEach(callers, run);
      expect(settled).toHaveLength(3);
      expect(new Set(settled.map((s) => s.slice(1))).size).toBe(1);
      expect(settled[0]).toMatch(/^a!(sync|async) boom$/);
    }
  });
});
