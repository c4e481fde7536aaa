import DataLoader from "dataloader";

/** One item's answer in a batch: its value, or the error its caller alone gets. */
export type Outcome<V> =
  | { readonly ok: true; readonly value: V }
  | { readonly ok: false; readonly error: unknown };

/**
 * When the items asked for so far leave as one batch:
 * - `"microtasks"`: once the promise jobs already queued have run, so callers that reach their
 *   request after the same awaits share a batch;
 * - `"io"`: after the event loop's current I/O phase, so the requests read from the sockets in
 *   one go share a batch.
 */
export type BatchWindow = "microtasks" | "io";

/** Options of {@link createTickBatcher}. */
export interface TickBatcherOptions<K> {
  readonly window: BatchWindow;
  /** Most items in one batch; the rest of the window leaves in further batches (default: no limit). */
  readonly maxBatchSize?: number;
  /** Items of different groups never share a batch, and each group's batch answers on its own. */
  readonly groupOf?: (key: K) => unknown;
}

/** Items asked one at a time, run in batches; each caller gets its own item's outcome. */
export interface TickBatcher<K, V> {
  load(key: K): Promise<V>;
}

/** The callbacks of one caller waiting for its item's outcome. */
export interface Waiting<V> {
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

/** Why a caller fails whose item the batch gave no answer for: a defect of the batch's function. */
const unanswered = (): Outcome<never> => ({
  ok: false,
  error: new Error("the batch gave no answer for this item"),
});

/**
 * The outcomes of a batch of `count` items from what `run` answered: an item it gave no answer for
 * fails alone rather than failing the others.
 */
export function outcomesOf<V>(count: number, answered: readonly Outcome<V>[]): Outcome<V>[] {
  return Array.from({ length: count }, (_, i) => answered[i] ?? unanswered());
}

/**
 * Runs one batch for callers waiting outside a {@link TickBatcher} (a scheduler of its own): each
 * gets its own outcome, and when `run` throws or rejects, every one of them rejects with that error.
 */
export async function answerEach<V>(
  waiting: readonly Waiting<V>[],
  run: () => Promise<readonly Outcome<V>[]>,
): Promise<void> {
  let outcomes: Outcome<V>[];
  try {
    outcomes = outcomesOf(waiting.length, await run());
  } catch (error) {
    for (const caller of waiting) caller.reject(error);
    return;
  }
  for (const [i, caller] of waiting.entries()) {
    const outcome = outcomes[i]!;
    if (outcome.ok) caller.resolve(outcome.value);
    else caller.reject(outcome.error);
  }
}

const schedules: Record<BatchWindow, (dispatch: () => void) => void> = {
  microtasks: (dispatch) => queueMicrotask(dispatch),
  io: (dispatch) => setImmediate(dispatch),
};

/**
 * Collects the items asked for within one {@link BatchWindow} and runs them through `run` as one
 * batch (per group), over DataLoader with its cache off: every item is run, each caller gets its
 * own item's outcome, and when `run` throws or rejects, every item of that batch rejects with that
 * error while other batches go on. `run` answers the items in the order it is given them.
 */
export function createTickBatcher<K, V>(
  run: (keys: readonly K[]) => Promise<readonly Outcome<V>[]>,
  options: TickBatcherOptions<K>,
): TickBatcher<K, V> {
  const schedule = schedules[options.window];
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? Number.POSITIVE_INFINITY);
  const groupOf = options.groupOf ?? (() => undefined);
  // DataLoader resolves each item with its Outcome (never an Error value it would reject on its
  // own terms); `load` below turns the outcome into the caller's answer or refusal.
  const batchLoad = async (keys: readonly K[]) => outcomesOf(keys.length, await run(keys));
  // One loader per group with items waiting: it leaves the map when its first batch leaves, so a
  // group's later items start a new loader and a group that asks nothing more holds nothing.
  const open = new Map<unknown, DataLoader<K, Outcome<V>>>();
  const loaderOf = (group: unknown): DataLoader<K, Outcome<V>> => {
    const existing = open.get(group);
    if (existing) return existing;
    const loader: DataLoader<K, Outcome<V>> = new DataLoader(batchLoad, {
      cache: false,
      maxBatchSize,
      batchScheduleFn: (dispatch) =>
        schedule(() => {
          if (open.get(group) === loader) open.delete(group);
          dispatch();
        }),
    });
    open.set(group, loader);
    return loader;
  };
  return {
    async load(key) {
      const outcome = await loaderOf(groupOf(key)).load(key);
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    },
  };
}
