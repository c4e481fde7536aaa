import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** A finished HTTP request as the server saw it: names and numbers only. */
export interface RequestObservation {
  /** The server's name for the route (`trpc`, `live`, `static`, …), never the path. */
  readonly route: string;
  /** The router's own procedure names (a batch: several), or none. */
  readonly procedures: readonly string[];
  readonly status: number;
  readonly seconds: number;
}

/** One pg-boss queue's depth and age at a scrape. */
export interface QueueGauge {
  /** The queue's name: ours, fixed in code (e.g. `clinic-chat.notification-timer`). */
  readonly name: string;
  readonly ready: number;
  readonly deferred: number;
  readonly active: number;
  /** Failed jobs still kept: a rolling count of recent failures. */
  readonly failed: number;
  /** How long the oldest ready job had waited at pg-boss's last monitor pass; null before one. */
  readonly oldestReadySeconds: number | null;
}

/** What the live hub tells at a scrape. */
export interface LiveGauge {
  readonly streams: number;
  readonly bufferedFrames: number;
  readonly droppedStreams: number;
  readonly delivering: number;
}

/** Where the scrape-time figures come from; each is optional (a worker-only process has no streams). */
export interface MetricSources {
  readonly live?: () => LiveGauge;
  readonly queues?: () => Promise<readonly QueueGauge[]>;
  /** The application pool's connections lent out now, of how many it may open. */
  readonly pool?: () => { readonly inUse: number; readonly max: number } | null;
}

/** The product's metrics (OPS-4): only names, route and procedure names, queue names and numbers. */
export interface ProductMetrics {
  readonly registry: Registry;
  observeRequest(observation: RequestObservation): void;
  /** A live event written to a person's streams, `seconds` after the event's time. */
  observeDeliveryLag(seconds: number): void;
  /** One notification handed to its channel: sent, or failed (retried by its queue). */
  observeNotification(channel: "email" | "sms", outcome: "sent" | "failed"): void;
  /** The Prometheus text format of everything now. */
  scrape(): Promise<string>;
}

const prefix = "clinic_chat_";

/**
 * Creates the registry: Node's own process metrics (event-loop delay, heap, GC, handles), request
 * counts and latencies per route and procedure, and the live hub and pg-boss queues read at each
 * scrape. Labels take values from closed sets (route names, the router's procedure names, our
 * queue names, status codes), so nothing a person wrote can become a label (OPS-4, SEC-5).
 */
export function createMetrics(sources: MetricSources = {}): ProductMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });

  const requests = new Counter({
    name: `${prefix}http_requests_total`,
    help: "HTTP requests answered, by route, tRPC procedure (each of a batch) and status code.",
    labelNames: ["route", "procedure", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: "Time from a request's arrival to its response's end, by route and tRPC procedure.",
    labelNames: ["route", "procedure"],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const deliveryLag = new Histogram({
    name: `${prefix}live_delivery_lag_seconds`,
    help: "Time from a live event's time (stamped as its change is stored) to its write to a person's streams.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const notifications = new Counter({
    name: `${prefix}notifications_total`,
    help: "Notifications handed to their channel, by channel (email, sms) and outcome (sent, failed).",
    labelNames: ["channel", "outcome"],
    registers: [registry],
  });

  if (sources.live) {
    const live = sources.live;
    const gauge = (name: string, help: string, read: (g: LiveGauge) => number) =>
      new Gauge({
        name: `${prefix}${name}`,
        help,
        registers: [registry],
        collect() {
          this.set(read(live()));
        },
      });
    gauge("live_streams", "Live event streams open on this process.", (g) => g.streams);
    gauge("live_buffered_frames", "Frames waiting in the streams' buffers.", (g) => g.bufferedFrames);
    gauge(
      "live_streams_dropped",
      "Streams ended because their client fell too far behind, since start.",
      (g) => g.droppedStreams,
    );
    gauge("live_delivering", "People whose events are being delivered right now.", (g) => g.delivering);
  }

  if (sources.pool) {
    const pool = sources.pool;
    new Gauge({
      name: `${prefix}db_pool_connections`,
      help: "The application's database pool: connections lent out now (in_use) and the most it opens (max).",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        const usage = pool();
        if (!usage) return;
        this.set({ state: "in_use" }, usage.inUse);
        this.set({ state: "max" }, usage.max);
      },
    });
  }

  if (sources.queues) {
    const queues = sources.queues;
    // One read serves both gauges of a scrape.
    let reading: Promise<readonly QueueGauge[]> | null = null;
    const read = () => {
      reading ??= queues().finally(() => setImmediate(() => (reading = null)));
      return reading;
    };
    new Gauge({
      name: `${prefix}queue_jobs`,
      help: "pg-boss jobs by queue and state (failed: those still kept).",
      labelNames: ["queue", "state"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const q of await read()) {
          this.set({ queue: q.name, state: "ready" }, q.ready);
          this.set({ queue: q.name, state: "deferred" }, q.deferred);
          this.set({ queue: q.name, state: "active" }, q.active);
          this.set({ queue: q.name, state: "failed" }, q.failed);
        }
      },
    });
    new Gauge({
      name: `${prefix}queue_oldest_ready_seconds`,
      help: "How long the oldest ready job of a queue had waited at pg-boss's last monitor pass.",
      labelNames: ["queue"],
      registers: [registry],
      async collect() {
        this.reset();
        for (const q of await read())
          if (q.oldestReadySeconds !== null) this.set({ queue: q.name }, q.oldestReadySeconds);
      },
    });
  }

  return {
    registry,
    observeRequest({ route, procedures, status, seconds }) {
      for (const procedure of procedures.length > 0 ? procedures : [""]) {
        requests.inc({ route, procedure, status: String(status) });
        // A live stream's "request" lasts as long as the stream: its length is no latency.
        if (route !== "live") latency.observe({ route, procedure }, seconds);
      }
    },
    observeDeliveryLag: (seconds) => deliveryLag.observe(Math.max(0, seconds)),
    observeNotification: (channel, outcome) => notifications.inc({ channel, outcome }),
    scrape: () => registry.metrics(),
  };
}
