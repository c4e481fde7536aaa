import type { EmailSender, SmsSender } from "@clinic-chat/domain";
import type { LiveHubStats } from "../live/liveHubOptions";
import type { LiveGauge, ProductMetrics, QueueGauge } from "./metrics";

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

/** A notification sender whose every send is counted by channel and outcome (OPS-4), never by content. */
export function countedSender(
  sender: EmailSender & SmsSender,
  channel: "email" | "sms",
  metrics: ProductMetrics | null,
): EmailSender & SmsSender {
  if (!metrics) return sender;
  return {
    async send(to, payload) {
      try {
        await sender.send(to, payload);
        metrics.observeNotification(channel, "sent");
      } catch (error) {
        metrics.observeNotification(channel, "failed");
        throw error;
      }
    },
  };
}
