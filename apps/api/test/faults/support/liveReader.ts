import type { OpenStream } from "../../../bench/sse";
import type { ApiClient } from "./apiClient";

/**
 * A browser tab's live stream: when the stream ends or fails it opens again after a short wait
 * with Last-Event-ID set to the last tracked id it got, as the browser's EventSource does.
 */
export class LiveReader {
  readonly messageIds: string[] = [];
  readonly eventIds: string[] = [];
  readyCount = 0;
  reconnects = 0;
  private lastEventId: string | null = null;
  private stream: OpenStream | null = null;
  private closed = false;

  constructor(
    readonly client: ApiClient,
    private readonly retryMs = 300,
  ) {
    this.open();
  }

  private open(): void {
    if (this.closed) return;
    this.stream = this.client.stream(this.lastEventId, {
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
      onEnd: () => {
        if (this.closed) return;
        this.stream?.close();
        this.reconnects++;
        setTimeout(() => this.open(), this.retryMs);
      },
    });
  }

  close(): void {
    this.closed = true;
    this.stream?.close();
    this.client.close();
  }
}
