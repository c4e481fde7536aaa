import type { ConversationEvent } from "@clinic-chat/domain";
import type { TrackedEnvelope } from "@trpc/server";
import type { LiveEvent } from "./LiveEvent";
import { LiveHub, type LiveHubStats } from "./liveHub";
import type { LiveSessionCheck } from "./liveSessions";
import {
  type LiveFeedSource,
  type LiveMembershipSource,
  type LiveStreamOptions,
  type LiveStreamRequest,
  liveStream,
} from "./liveStream";

/** Live updates of one API process: the `live.events` subscription's engine (MSG-2). */
export interface LiveService {
  /** One client's stream; see {@link liveStream}. */
  events(request: LiveStreamRequest): AsyncGenerator<TrackedEnvelope<LiveEvent>, void, unknown>;
  /** Subscribers and buffers now. */
  stats(): LiveHubStats;
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
   * Most events one subscriber may have waiting (default 1,000). A client that falls this far behind
   * is dropped and resumes from its last event id when it reconnects, so a slow or stalled client
   * never makes the server hold more than this for it.
   */
  readonly maxBuffered?: number;
  readonly replayPageSize?: number;
  readonly recheckMs?: number;
}

/** Connects a hub of subscribers to the feed. */
export function createLiveService(options: LiveServiceOptions): LiveService {
  const hub = new LiveHub(options.maxBuffered ?? 1000);
  const stopListening = options.feed.listen((events) => hub.publish(events));
  const streamOptions: LiveStreamOptions = {
    replayPageSize: options.replayPageSize ?? 500,
    recheckMs: options.recheckMs ?? 30_000,
  };
  const deps = {
    hub,
    feed: options.feed,
    membership: options.membership,
    sessions: options.sessions,
    options: streamOptions,
  };
  return {
    events: (request) => liveStream(deps, request),
    stats: () => hub.stats(),
    close() {
      stopListening();
      hub.close();
    },
  };
}
