/**
 * TEST ONLY: a minimal EventSource for Node (which has none), enough for tRPC's
 * `httpSubscriptionLink`: the text/event-stream format (event, data, id, retry), reconnection after
 * the stream ends or breaks with the `Last-Event-ID` header, custom request headers (the test
 * session), and a control the test holds to cut the connection, to hold reconnects, and to
 * silence the connections (a link cut without a reset: nothing arrives, nothing ends).
 */

/** The event a listener receives. */
export interface TestMessageEvent {
  readonly type: string;
  readonly data: string;
  readonly lastEventId: string;
}

type Listener = (event: TestMessageEvent) => void;

/** What the test holds to play the network. */
export class SseControl {
  /** Successful connections (responses with an event stream), first one included. */
  connects = 0;
  /** The `Last-Event-ID` header of each connection attempt that got a response. */
  readonly lastEventIds: (string | null)[] = [];
  readonly sources = new Set<TestEventSource>();
  private gate: { promise: Promise<void>; open: () => void } | null = null;
  private connected = new Set<() => void>();

  /** Until released, a cut connection is not re-opened: the client misses what happens meanwhile. */
  holdReconnects(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.gate = { promise, open };
  }

  releaseReconnects(): void {
    this.gate?.open();
    this.gate = null;
  }

  /** Cuts every open connection, as a network drop would (the server sees the request aborted). */
  cut(): void {
    for (const source of this.sources) source.cut();
  }

  /**
   * Silences every open connection, as a link cut without a reset: whatever the server sends is
   * lost on the way, and nothing ends. Connections opened afterwards are heard.
   */
  silence(): void {
    for (const source of this.sources) source.silenced = true;
  }

  /** Resolves once the client has connected `count` times in all. */
  connections(count: number): Promise<void> {
    if (this.connects >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.connects < count) return;
        this.connected.delete(check);
        resolve();
      };
      this.connected.add(check);
    });
  }

  /** @internal */
  async beforeReconnect(): Promise<void> {
    await this.gate?.promise;
  }

  /** @internal */
  noteConnected(lastEventId: string | null): void {
    this.connects++;
    this.lastEventIds.push(lastEventId);
    for (const check of [...this.connected]) check();
  }
}

/** Options of {@link TestEventSource}: what `eventSourceOptions` returns. */
export interface TestEventSourceInit {
  readonly headers?: Record<string, string>;
  readonly control?: SseControl;
  /** Delay before reconnecting, in milliseconds, unless the server sent `retry:` (default 10). */
  readonly retryMs?: number;
}

export class TestEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSED = 2;
  readyState = 0;
  lastEventId = "";
  /** See {@link SseControl.silence}. */
  silenced = false;
  private readonly listeners = new Map<string, Set<Listener>>();
  private connection: AbortController | null = null;
  private retryMs: number;

  constructor(
    readonly url: string,
    private readonly init: TestEventSourceInit = {},
  ) {
    this.retryMs = init.retryMs ?? 10;
    init.control?.sources.add(this);
    void this.run();
  }

  addEventListener(type: string, listener: Listener): void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.readyState = this.CLOSED;
    this.connection?.abort();
    this.init.control?.sources.delete(this);
  }

  /** Cuts the current connection; the source reconnects (unless closed). */
  cut(): void {
    this.connection?.abort();
  }

  private emit(type: string, data = "", lastEventId = this.lastEventId): void {
    for (const listener of [...(this.listeners.get(type) ?? [])]) listener({ type, data, lastEventId });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (this.readyState !== this.CLOSED) {
      if (attempt > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.retryMs));
        await this.init.control?.beforeReconnect();
        if (this.readyState === this.CLOSED) return;
      }
      attempt++;
      const connection = new AbortController();
      this.connection = connection;
      try {
        const lastEventId = this.lastEventId === "" ? null : this.lastEventId;
        const response = await fetch(this.url, {
          headers: {
            accept: "text/event-stream",
            "cache-control": "no-store",
            ...this.init.headers,
            ...(lastEventId ? { "last-event-id": lastEventId } : {}),
          },
          signal: connection.signal,
        });
        const type = response.headers.get("content-type") ?? "";
        if (response.status !== 200 || !type.startsWith("text/event-stream") || !response.body) {
          // Not an event stream: fail for good, as a browser does.
          await response.body?.cancel();
          this.readyState = this.CLOSED;
          this.emit("error");
          return;
        }
        this.readyState = this.OPEN;
        this.init.control?.noteConnected(lastEventId);
        this.emit("open");
        await this.read(response.body);
      } catch {
        // A refused or cut connection: reconnect below.
      }
      if (this.readyState === this.CLOSED) return;
      this.readyState = this.CONNECTING;
      this.emit("error");
    }
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let pending = "";
    let data: string[] = [];
    let type = "";
    let id: string | null = null;
    const dispatch = () => {
      if (id !== null) this.lastEventId = id;
      id = null;
      const eventType = type || "message";
      type = "";
      const joined = data.join("\n");
      const empty = data.length === 0;
      data = [];
      // As the standard says: an event without a data line is not dispatched (its id still counts);
      // one empty data line is an event with empty data (tRPC's ping).
      if (!empty) this.emit(eventType, joined);
    };
    for await (const chunk of body) {
      if (this.silenced) continue;
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + (pending.startsWith("\r\n", newline) ? 2 : 1));
        if (line === "") dispatch();
        else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "event") type = value;
          else if (field === "data") data.push(value);
          else if (field === "id" && !value.includes("\0")) id = value;
          else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
        }
        newline = pending.search(/\r\n|\r|\n/);
      }
    }
  }
}
