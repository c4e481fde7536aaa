import { TRPCError } from "@trpc/server";
import type { LiveResponse, LiveStream } from "./liveStreams";
import { errorFrame, type LiveFrame, pingFrame, reconnectFrame } from "./liveWire";

const reconnectCode = { code: "SERVICE_UNAVAILABLE", message: "reconnect" } as const;

/**
 * Writing frames to streams: in order, holding them (bounded by `maxBuffered`) while a stream
 * replays or its socket is full, and ending a stream with its final frame. A stream that falls too
 * far behind is dropped and told to reconnect, so a slow client costs a bounded amount of memory.
 */
export class LiveOutput {
  /** The most frames any one stream has held. */
  maxBufferedSeen = 0;
  /** Streams dropped because they fell too far behind. */
  dropped = 0;

  constructor(
    private readonly maxBuffered: number,
    /** Forgets an ended stream (and whatever it was the last of). */
    private readonly forget: (stream: LiveStream) => void,
  ) {}

  /** Sends a frame, or holds it (bounded) while the stream replays or its socket is full. */
  push(stream: LiveStream, frame: LiveFrame): void {
    if (!stream.open) return;
    const queue = stream.queue;
    if (queue !== null) {
      if (queue.length >= this.maxBuffered) {
        // Fallen too far behind: dropped, its buffer released; it resumes from its last id.
        this.drop(stream);
        return;
      }
      queue.push(frame);
      if (queue.length > this.maxBufferedSeen) this.maxBufferedSeen = queue.length;
      return;
    }
    if (!send(stream.res, frame)) this.waitForDrain(stream, []);
  }

  /** Writes the heartbeat between frames; skipped while the stream holds frames (it is busy or behind). */
  ping(stream: LiveStream): void {
    if (!stream.open || stream.queue !== null) return;
    if (!stream.res.write(pingFrame)) this.waitForDrain(stream, []);
  }

  /** Writes held frames in order until the socket is full; the rest wait for `drain`. */
  flush(stream: LiveStream, frames: readonly LiveFrame[]): void {
    stream.queue = null;
    for (let i = 0; i < frames.length; i++) {
      if (!stream.open) return;
      if (!send(stream.res, frames[i]!)) {
        this.waitForDrain(stream, frames.slice(i + 1));
        return;
      }
    }
  }

  /** Writes a replayed frame directly, waiting for the socket when it is full. */
  async writeWaiting(stream: LiveStream, frame: LiveFrame): Promise<void> {
    if (!stream.open || send(stream.res, frame)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.res.off("drain", done);
        stream.res.off("close", done);
        resolve();
      };
      stream.res.once("drain", done);
      stream.res.once("close", done);
    });
  }

  /** Drops a stream that fell behind: it is told to reconnect and resumes from its last id. */
  drop(stream: LiveStream): void {
    this.dropped++;
    this.end(stream, reconnectFrame);
  }

  /** Ends a stream: with a final error frame (or none, when the client went away), then the response. */
  end(stream: LiveStream, frame: string | TRPCError | null): void {
    if (!stream.open) return;
    stream.open = false;
    stream.queue = null;
    this.forget(stream);
    this.finish(stream.res, frame);
  }

  /** Ends a response with its final frame; a client that never reads again loses its socket after 30 s. */
  finish(res: LiveResponse, frame: string | TRPCError | null): void {
    if (res.destroyed) return;
    if (frame !== null) {
      if (res.liveError) res.liveError(frame instanceof TRPCError ? frame : new TRPCError(reconnectCode));
      else res.write(frame instanceof TRPCError ? errorFrame(frame) : frame);
    }
    res.end();
    // A client that never reads again must not hold its socket and buffers for ever.
    const timer = setTimeout(() => res.destroy(), 30_000);
    timer.unref();
    res.once("close", () => clearTimeout(timer));
  }

  private waitForDrain(stream: LiveStream, rest: LiveFrame[]): void {
    stream.queue = rest;
    stream.res.once("drain", () => {
      const queue = stream.queue;
      if (stream.open && queue !== null && !stream.replaying) this.flush(stream, queue);
    });
  }
}

/** Writes one event: as a value where the response takes values, else as its SSE text. */
function send(res: LiveResponse, frame: LiveFrame): boolean {
  return res.writeFrame ? res.writeFrame(frame) : res.write(frame.text);
}
