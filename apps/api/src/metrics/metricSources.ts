import type { LiveHubStats } from "../live/liveHub";
import type { LiveGauge, QueueGauge } from "./metrics";

/** The live hub's counters as the metrics show them. */
export function liveGauge(stats: LiveHubStats): LiveGauge {
  return {
    streams: stats.subscribers,
    bufferedFrames: stats.buffered,
    droppedStreams: stats.dropped,
    delivering: stats.delivering,
  };
}

/** A pg-boss queue's counts (`getQueues()`) as the metrics show them. */
export function queueGauge(queue: {
  name: string;
  readyCount: number;
  deferredCount: number;
  activeCount: number;
  failedCount: number;
  readyOldestSeconds: number | null;
}): QueueGauge {
  return {
    name: queue.name,
    ready: queue.readyCount,
    deferred: queue.deferredCount,
    active: queue.activeCount,
    failed: queue.failedCount,
    oldestReadySeconds: queue.readyOldestSeconds,
  };
}
