import type { LiveStream } from "./liveStreams";

/** What the heartbeat needs of the hub. */
export interface LiveHeartbeatHost {
  streams(): Iterable<LiveStream>;
  /** Writes the ping to one stream, in order with its frames. */
  ping(stream: LiveStream): void;
}

/**
 * The streams' heartbeat: one timer for the whole process, not one per stream. Every `intervalMs`
 * each open stream that is neither replaying nor waiting on a full socket gets a ping (one shared
 * string), so a client hears from a live server at least that often and can take twice that of
 * silence for a lost link (MSG-2: it reconnects, to another process, with its last event id).
 * A stream that is replaying or waiting on its socket is sending frames, or is behind anyway.
 */
export class LiveHeartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: LiveHeartbeatHost,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private beat(): void {
    for (const stream of this.host.streams())
      if (stream.open && stream.queue === null && !stream.res.writeFrame) this.host.ping(stream);
  }
}
