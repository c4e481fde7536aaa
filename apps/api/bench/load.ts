import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

// Small load loops over node:http with keep-alive agents (no load tool is installed). Every loop
// is bounded by a count and a deadline.

/** A monotonic clock in milliseconds that two processes of one machine agree on. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** A keep-alive agent that opens at most `sockets` connections and keeps them all open. */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: "fifo" });
}

/** One HTTP exchange's answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends one request over `agent` and reads the whole answer (bounded by `timeoutMs`). */
export function call(
  agent: Agent,
  url: URL,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: options.method ?? "GET",
        headers: {
          ...options.headers,
          ...(options.body !== undefined
            ? { "content-length": String(Buffer.byteLength(options.body)) }
            : {}),
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** What a load loop measured. */
export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  /** Every request answered, warm-up included. */
  readonly completed: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** The first few failures, for the report. */
  readonly failures: readonly string[];
}

function summarise(
  latencies: number[],
  failed: number,
  completed: number,
  seconds: number,
  failures: string[],
): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    failed,
    completed,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
  };
}

/**
 * A closed loop: `concurrency` workers, each sending its next request as soon as the previous one
 * is answered, for `durationMs` (after `warmupMs` that is not counted) or `maxRequests` in all.
 * `once(worker, n)` does one request and throws when it failed.
 */
export async function closedLoop(options: {
  readonly concurrency: number;
  readonly durationMs: number;
  readonly warmupMs?: number;
  readonly maxRequests: number;
  readonly once: (worker: number, n: number) => Promise<void>;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let failed = 0;
  let sent = 0;
  let completed = 0;
  const started = performance.now();
  const countFrom = started + (options.warmupMs ?? 0);
  const deadline = countFrom + options.durationMs;
  // A worker that is stuck cannot hold the loop for ever: nothing runs past the deadline plus this.
  const hardStop = deadline + 30_000;
  const worker = async (w: number) => {
    for (let n = 0; ; n++) {
      const now = performance.now();
      if (now >= deadline || sent >= options.maxRequests || now >= hardStop) return;
      sent++;
      const t0 = performance.now();
      try {
        await options.once(w, n);
        completed++;
        const t1 = performance.now();
        if (t0 >= countFrom && t1 <= deadline) latencies.push(t1 - t0);
      } catch (error) {
        failed++;
        completed++;
        if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, w) => worker(w)));
  const measured = (Math.min(performance.now(), deadline) - countFrom) / 1000;
  return summarise(latencies, failed, completed, measured, failures);
}

/**
 * An open loop: starts request `n` at `n / rate` seconds whatever the answers do (so a slow server
 * builds a queue, as real traffic would), `count` requests in all, then waits for the last answers
 * (at most `drainMs`).
 */
export async function pacedLoop(options: {
  readonly rate: number;
  readonly count: number;
  readonly drainMs: number;
  readonly once: (n: number) => Promise<void>;
}): Promise<{
  readonly started: number;
  readonly seconds: number;
  readonly failed: number;
  /** Requests still unanswered when the drain ran out (the caller cuts them). */
  readonly unanswered: number;
  readonly failures: readonly string[];
}> {
  const inFlight = new Set<Promise<void>>();
  const failures: string[] = [];
  let failed = 0;
  let n = 0;
  const t0 = performance.now();
  const hardStop = t0 + (options.count / options.rate) * 1000 + 10_000;
  while (n < options.count && performance.now() < hardStop) {
    const due = Math.min(options.count, Math.floor(((performance.now() - t0) * options.rate) / 1000) + 1);
    while (n < due) {
      const p = options.once(n++).catch((error: unknown) => {
        failed++;
        if (failures.length < 5) failures.push(error instanceof Error ? error.message : String(error));
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const seconds = (performance.now() - t0) / 1000;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(inFlight),
    new Promise((resolve) => {
      timer = setTimeout(resolve, options.drainMs);
    }),
  ]);
  clearTimeout(timer);
  return { started: n, seconds, failed, unanswered: inFlight.size, failures: [...failures] };
}
