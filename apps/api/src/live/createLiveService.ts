import { type Actor, type ConversationEvent, defaultStreamsPerSession } from "@clinic-chat/domain";
import { type TRPCError, type TrackedEnvelope, tracked } from "@trpc/server";
import type { LiveEvent } from "./LiveEvent";
import type { LiveFeedSource, LiveMembershipSource } from "./liveDecide";
import { LiveHub } from "./liveHub";
import type { LiveHubOptions, LiveHubStats } from "./liveHubOptions";
import type { LiveSessionCheck } from "./liveSessions";
import type { LiveOpenRequest, LiveResponse } from "./liveStreams";
import { LiveTyping, type LiveTypingChannel } from "./liveTyping";
import { connectedFrame, type LiveFrame, streamFailure } from "./liveWire";

/** One client's stream request for the in-process (tRPC) path. */
export interface LiveStreamRequest extends LiveOpenRequest {
  readonly signal: AbortSignal | undefined;
}

/** Live updates of one API process: the engine of `live.events` (MSG-2). */
export interface LiveService {
  /**
   * Opens one client's stream onto an HTTP response whose headers and `connected` frame are written
   * (the hand-written SSE endpoint, `createLiveSse`). Resolves once the stream is live or ended.
   */
  open(request: LiveOpenRequest, res: LiveResponse): Promise<void>;
  /**
   * The same stream as an async generator of tracked events, for the tRPC procedure (in-process
   * callers, or a server without the SSE endpoint): the hub's event values themselves.
   */
  events(request: LiveStreamRequest): AsyncGenerator<TrackedEnvelope<LiveEvent>, void, unknown>;
  /**
   * Tells the other participants that `actor` is typing in `conversationId` (PRODUCT §8), through
   * every process; nothing is stored. NOT_FOUND when they take no part in it (ELIG-4).
   */
  announceTyping(actor: Actor, conversationId: string): Promise<void>;
  /** Subscribers and buffers now. */
  stats(): LiveHubStats;
  /** The first frame of each stream over HTTP: tells the client how long a silence means a lost link. */
  readonly connectedFrame: string;
  /**
   * Graceful shutdown: ends every stream with a retryable error, so clients reconnect (to another
   * process) and resume from their last event id. Call before closing the HTTP server.
   */
  close(): void;
}

/** What {@link createLiveService} needs. */
export interface LiveServiceOptions {
  /** The process's feed; `startLiveEventFeed(…)` from the adapters. */
  readonly feed: LiveFeedSource & {
    listen(listener: (events: readonly ConversationEvent[]) => void): () => void;
  };
  /** `postgresLiveMembership(appDb)` from the adapters. */
  readonly membership: LiveMembershipSource;
  readonly sessions: LiveSessionCheck;
  /**
   * Typing notices between processes (`startTypingChannel(…)` from the adapters; `RunningLive`
   * holds one). Without it, notices reach this process's streams only.
   */
  readonly typing?: LiveTypingChannel;
  /**
   * Most frames one stream may hold back (default 1,000) while its socket is full. A client that
   * falls this far behind is dropped and resumes from its last event id when it reconnects, so a
   * slow or stalled client never makes the server hold more than this for it.
   */
  readonly maxBuffered?: number;
  readonly replayPageSize?: number;
  /** How often idle sessions and people are checked again (default 30 s; one timer per process). */
  readonly recheckMs?: number;
  /** Most live streams one session may hold open at once (OPS-1; default `defaultStreamsPerSession`). */
  readonly streamsPerSession?: number;
  /**
   * How often every stream over HTTP gets a ping (one timer per process); clients reconnect after
   * twice that without a frame (a link cut without a reset). Absent: no ping, and clients wait.
   */
  readonly heartbeatMs?: number;
  readonly observeDeliveryLag?: LiveHubOptions["observeDeliveryLag"];
  readonly logger?: LiveHubOptions["logger"];
}

/** Connects a hub of streams to the feed. */
export function createLiveService(options: LiveServiceOptions): LiveService {
  const hub = new LiveHub({
    feed: options.feed,
    membership: options.membership,
    sessions: options.sessions,
    maxBuffered: options.maxBuffered ?? 1000,
    replayPageSize: options.replayPageSize ?? 500,
    recheckMs: options.recheckMs ?? 30_000,
    heartbeatMs: options.heartbeatMs ?? null,
    streamsPerSession: options.streamsPerSession ?? defaultStreamsPerSession,
    ...(options.observeDeliveryLag ? { observeDeliveryLag: options.observeDeliveryLag } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const stopListening = options.feed.listen((events) => hub.publish(events));
  const channel = options.typing ?? localTypingChannel();
  const stopTyping = channel.listen((notice) => hub.passOn(notice));
  const typing = new LiveTyping(channel, options.membership);
  return {
    open: (request, res) => hub.open(request, res),
    events: (request) => generatorStream(hub, request),
    announceTyping: (actor, conversationId) => typing.announce(actor, conversationId),
    stats: () => hub.stats(),
    connectedFrame: connectedFrame(options.heartbeatMs ?? null),
    close() {
      stopListening();
      stopTyping();
      hub.close();
    },
  };
}

/** Typing notices within this process only, for a service without a channel between processes. */
function localTypingChannel(): LiveTypingChannel {
  const listeners = new Set<Parameters<LiveTypingChannel["listen"]>[0]>();
  return {
    async announce(notice) {
      for (const listener of listeners) listener(notice);
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Where the hub writes an in-process stream: its events as values (never SSE text), held until
 * the generator takes them, bounded like a socket (`writeFrame` false: full until `drain`).
 */
class InProcessResponse implements LiveResponse {
  destroyed = false;
  ended = false;
  error: TRPCError | null = null;
  frames: LiveFrame[] = [];
  private readonly listeners = { drain: new Set<() => void>(), close: new Set<() => void>() };
  private wake: (() => void) | null = null;

  writeFrame(frame: LiveFrame): boolean {
    this.frames.push(frame);
    this.notify();
    return this.frames.length < 64;
  }

  /** The hub writes text only to a response without `writeFrame` and `liveError`. */
  write(): boolean {
    throw new Error("An in-process stream takes events as values.");
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.ended = true;
    this.emit("close");
    this.notify();
  }

  liveError(error: TRPCError): void {
    this.error = error;
  }

  on(event: "close", listener: () => void): this {
    this.listeners[event].add(listener);
    return this;
  }

  once(event: "drain" | "close", listener: () => void): this {
    const once = () => {
      this.listeners[event].delete(once);
      listener();
    };
    (once as { original?: () => void }).original = listener;
    this.listeners[event].add(once);
    return this;
  }

  off(event: "drain" | "close", listener: () => void): this {
    for (const l of this.listeners[event])
      if ((l as { original?: () => void }).original === listener) this.listeners[event].delete(l);
    return this;
  }

  emit(event: "drain" | "close"): void {
    for (const listener of [...this.listeners[event]]) listener();
  }

  /** Waits until there are frames or the stream ended. */
  next(): Promise<void> {
    if (this.frames.length > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

async function* generatorStream(
  hub: LiveHub,
  request: LiveStreamRequest,
): AsyncGenerator<TrackedEnvelope<LiveEvent>, void, unknown> {
  const res = new InProcessResponse();
  const onAbort = () => res.destroy();
  request.signal?.addEventListener("abort", onAbort, { once: true });
  hub.open(request, res).catch((error: unknown) => {
    // Opening failed (say, the feed never became ready): end this stream with the error, as the
    // SSE endpoint does, instead of leaving an unhandled rejection.
    res.liveError(streamFailure(error));
    res.end();
  });
  // A passing frame (typing) has no id of its own: it carries the last one sent, so resuming from
  // it replays nothing twice.
  let lastId = "0";
  try {
    for (;;) {
      await res.next();
      const frames = res.frames;
      res.frames = [];
      for (const frame of frames) {
        if (!frame.passing) lastId = String(frame.id);
        yield tracked(lastId, frame.event);
      }
      if (frames.length > 0) res.emit("drain");
      if (res.ended && res.frames.length === 0) {
        if (res.error && !res.destroyed) throw res.error;
        return;
      }
    }
  } finally {
    request.signal?.removeEventListener("abort", onAbort);
    res.destroy();
  }
}
