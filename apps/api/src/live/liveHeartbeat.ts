import type { LivePerson, LiveStream } from "./liveStreams";

/** What the heartbeat reads of the process's streams (the hub's registry). */
export interface LiveHeartbeatStreams {
  streams(): Iterable<LiveStream>;
  /** Every person with open streams. */
  people(): Iterable<LivePerson>;
}

/** What the heartbeat writes (the hub's output). */
export interface LiveHeartbeatOutput {
  /** Writes the ping to one stream, in order with its frames. */
  ping(stream: LiveStream): void;
  /** Ends a stream telling its client to reconnect (it resumes from its last event id). */
  drop(stream: LiveStream): void;
}

/**
 * The streams' heartbeat: one timer for the whole process, not one per stream. Every `intervalMs`
 * each open stream that is neither replaying nor waiting on a full socket gets a ping (one shared
 * string), so a client hears from a live server at least that often and can take twice that of
 * silence for a lost link (MSG-2: it reconnects, to another process, with its last event id).
 * A stream that is replaying or waiting on its socket is sending frames, or is behind anyway.
 *
 * A ping says the stream is live, which it is not while its person's pipeline waits on a read
 * that does not answer: a person whose pipeline has been on one batch for that same silence is
 * dropped first (told to reconnect, resuming from their last event id on a pipeline of its own).
 */
export class LiveHeartbeat {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: LiveHeartbeatStreams,
    private readonly output: LiveHeartbeatOutput,
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
    const since = Date.now() - 2 * this.intervalMs;
    for (const person of this.registry.people())
      if (person.delivering && person.deliveringSince < since)
        for (const stream of person.streams()) this.output.drop(stream);
    for (const stream of this.registry.streams())
      if (stream.open && stream.queue === null && !stream.res.writeFrame) this.output.ping(stream);
  }
}
