import type { OpenStream } from "../../../bench/sse";
import type { ApiClient } from "./apiClient";

/** How a {@link LiveReader} finds a lost link and where it goes next. */
export interface LiveReaderOptions {
  /** Wait before opening again after an end (default 300 ms). */
  readonly retryMs?: number;
  /**
   * Silence that means a lost link: no frame at all, pings included, for this long (twice the
   * server's heartbeat, as the web app's httpSubscriptionLink takes it). Absent: waits for ever.
   */
  readonly silenceMs?: number;
  /** Where to open again after a lost or ended stream (a load balancer's choice); default the same URL. */
  readonly nextUrl?: (current: string) => string;
}

/**
 * A browser tab's live stream: when the stream ends, fails or falls silent it opens again after a
 * short wait with Last-Event-ID set to the last tracked id it got, as the browser's EventSource
 * under tRPC's httpSubscriptionLink does.
 */
export class LiveReader {
  readonly messageIds: string[] = [];
  readonly eventIds: string[] = [];
  readyCount = 0;
  reconnects = 0;
  /** The tRPC codes of the error frames that ended streams, with how many of each. */
  readonly errorEnds = new Map<string, number>();
  /** Streams given up because they fell silent. */
  silences = 0;
  private lastEventId: string | null = null;
  private stream: OpenStream | null = null;
  private closed = false;
  private heardAt = Date.now();
  private readonly watch: NodeJS.Timeout | null = null;
  private readonly retryMs: number;

  constructor(
    readonly client: ApiClient,
    private readonly options: LiveReaderOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 300;
    const silenceMs = options.silenceMs;
    if (silenceMs !== undefined)
      this.watch = setInterval(() => {
        if (this.stream && Date.now() - this.heardAt > silenceMs) {
          this.silences++;
          this.lost();
        }
      }, silenceMs / 4);
    this.open();
  }

  private open(): void {
    if (this.closed) return;
    this.heardAt = Date.now();
    this.stream = this.client.stream(this.lastEventId, {
      onHeard: () => {
        this.heardAt = Date.now();
      },
      onMessage: (message) => {
        this.messageIds.push(message.messageId);
        this.eventIds.push(message.eventId);
      },
      onId: (id) => {
        this.lastEventId = id;
      },
      onReady: () => {
        this.readyCount++;
      },
      onEnd: (why) => {
        if (why.startsWith("error "))
          this.errorEnds.set(why.slice(6), (this.errorEnds.get(why.slice(6)) ?? 0) + 1);
        this.lost();
      },
    });
  }

  /** The stream ended, failed or fell silent: open again, where the balancer says. */
  private lost(): void {
    if (this.closed || !this.stream) return;
    this.stream.close();
    this.stream = null;
    this.reconnects++;
    if (this.options.nextUrl) this.client.url = this.options.nextUrl(this.client.url);
    setTimeout(() => this.open(), this.retryMs);
  }

  close(): void {
    this.closed = true;
    if (this.watch) clearInterval(this.watch);
    this.stream?.close();
    this.client.close();
  }
}
