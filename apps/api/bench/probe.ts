import { writeHeapSnapshot } from "node:v8";

/** What a bench child process reports about its memory (after a full collection when it can). */
export interface MemoryReport {
  readonly type: "memory";
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/**
 * Answers the parent's "cpu" messages with the process's CPU time so far (user + system, µs), and
 * its "memory" messages over IPC: runs the garbage collector (when the process
 * was started with --expose-gc) and sends `process.memoryUsage()`.
 */
export function answerMemoryProbes(): void {
  process.on("message", (message: unknown) => {
    if (typeof message === "object" && message !== null && "snapshot" in message) {
      // For investigations: a heap snapshot to open in Chrome DevTools.
      process.send?.({ type: "snapshot", file: writeHeapSnapshot(String(message.snapshot)) });
      return;
    }
    if (message === "cpu") {
      const usage = process.cpuUsage();
      process.send?.({ type: "cpu", micros: usage.user + usage.system });
      return;
    }
    if (message !== "memory") return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    const report: MemoryReport = {
      type: "memory",
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
    };
    process.send?.(report);
  });
}
