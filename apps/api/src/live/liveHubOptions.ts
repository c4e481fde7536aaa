import type { LiveFeedSource, LiveMembershipSource } from "./liveDecide";
import type { LiveSessionCheck } from "./liveSessions";

/** Tuning and ports of the hub. */
export interface LiveHubOptions {
  readonly feed: LiveFeedSource;
  readonly membership: LiveMembershipSource;
  readonly sessions: LiveSessionCheck;
  readonly maxBuffered: number;
  readonly replayPageSize: number;
  readonly recheckMs: number;
  /** How often every stream gets a ping (one timer for all); null: never, and clients wait for ever. */
  readonly heartbeatMs: number | null;
  /** Most live streams one session may hold open at once (OPS-1). */
  readonly streamsPerSession: number;
  /** Told, per person and event written to their streams, the seconds since the event's time (OPS-4). */
  readonly observeDeliveryLag?: (seconds: number) => void;
  /** Where failures are logged: codes and error types only, never content (SEC-5). */
  readonly logger?: {
    info(fields: object, message: string): void;
    warn(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
}

/** Counters of the hub, for health checks and tests. */
export interface LiveHubStats {
  readonly subscribers: number;
  /** Frames waiting in all buffers now. */
  readonly buffered: number;
  /** The most frames any one buffer has held. */
  readonly maxBufferedSeen: number;
  /** Subscribers dropped because their buffer overflowed. */
  readonly dropped: number;
  /** Session checks made (each distinct session once per batch it receives, SEC-2). */
  readonly sessionChecks: number;
  /** People whose pipeline is delivering now (a batch read and decided, not yet written). */
  readonly delivering: number;
}
