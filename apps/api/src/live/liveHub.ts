import type { ConversationEvent, PersonRef } from "@clinic-chat/domain";

/** What a subscriber's wait ended with. */
export type LiveTake =
  | { readonly kind: "events"; readonly events: readonly ConversationEvent[] }
  | { readonly kind: "timeout" }
  | { readonly kind: "aborted" }
  /** Its buffer overflowed: the client must reconnect and resume from its last event id. */
  | { readonly kind: "dropped" }
  /** The process is shutting down: the client must reconnect, to another process. */
  | { readonly kind: "closed" };

function samePerson(a: PersonRef | null, b: PersonRef): boolean {
  return a !== null && a.kind === b.kind && a.id === b.id;
}

/**
 * One open stream of this process: its clinic and person, the conversations it may see, and a
 * bounded buffer of events waiting for the client to read them.
 */
export class LiveSubscriber {
  /** Events with ids up to here have been offered (or replayed); later offers skip them. */
  after: number;
  /** Conversations the person takes part in; null until loaded (everything of the clinic passes meanwhile). */
  membership: Set<string> | null = null;
  /** Conversations created since that may include the person: their events pass until the stream checks. */
  readonly unsure = new Set<string>();
  private buffer: ConversationEvent[] = [];
  private state: "open" | "dropped" | "closed" = "open";
  private wake: (() => void) | null = null;

  constructor(
    readonly clinicId: string,
    readonly person: PersonRef,
    /** The feed's position when it registered: the stream replays up to here, the feed sends the rest. */
    readonly position: number,
    lastEventId: number | null,
    private readonly hub: LiveHub,
  ) {
    this.after = Math.max(position, lastEventId ?? 0);
  }

  /** False once dropped or closed. */
  get open(): boolean {
    return this.state === "open";
  }

  /** How many events wait in the buffer. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Whether an event may concern this person; the stream decides for sure. */
  private mayConcern(event: ConversationEvent): boolean {
    const conversationId = event.conversationId;
    if (conversationId === null || this.membership === null) return true;
    if (event.type === "participant.added" && samePerson(event.person, this.person)) {
      this.membership.add(conversationId);
      return true;
    }
    if (event.type === "conversation.created" && !this.membership.has(conversationId)) {
      this.unsure.add(conversationId);
      return true;
    }
    return this.membership.has(conversationId) || this.unsure.has(conversationId);
  }

  /** Takes a batch of the clinic's events from the feed; overflowing the buffer drops the subscriber. */
  offer(events: readonly ConversationEvent[], maxBuffered: number): void {
    if (this.state !== "open") return;
    for (const event of events) {
      if (event.id <= this.after) continue;
      this.after = event.id;
      if (!this.mayConcern(event)) continue;
      if (this.buffer.length >= maxBuffered) {
        this.end("dropped");
        return;
      }
      this.buffer.push(event);
    }
    this.hub.noteBuffered(this.buffer.length);
    if (this.buffer.length > 0) this.wake?.();
  }

  /** Ends the subscription (dropped or closed): the buffer is released at once. */
  end(state: "dropped" | "closed"): void {
    if (this.state !== "open") return;
    this.state = state;
    this.buffer = [];
    this.membership = null;
    this.unsure.clear();
    this.hub.remove(this, state === "dropped");
    this.wake?.();
  }

  /**
   * Waits for the next events (all that wait, in id order), at most `timeoutMs`. Resolves early when
   * the subscriber is dropped or closed or the request is aborted.
   */
  take(signal: AbortSignal | undefined, timeoutMs: number): Promise<LiveTake> {
    const now = this.takeNow(signal);
    if (now) return Promise.resolve(now);
    return new Promise<LiveTake>((resolve) => {
      const finish = (take: LiveTake) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.wake = null;
        resolve(take);
      };
      const onAbort = () => finish({ kind: "aborted" });
      const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.wake = () => {
        const take = this.takeNow(signal);
        if (take) finish(take);
      };
    });
  }

  private takeNow(signal: AbortSignal | undefined): LiveTake | null {
    if (this.state !== "open") return { kind: this.state };
    if (signal?.aborted) return { kind: "aborted" };
    if (this.buffer.length === 0) return null;
    const events = this.buffer;
    this.buffer = [];
    return { kind: "events", events };
  }
}

/** Counters of the hub, for health checks and tests. */
export interface LiveHubStats {
  readonly subscribers: number;
  /** Events waiting in all buffers now. */
  readonly buffered: number;
  /** The most events any one buffer has held. */
  readonly maxBufferedSeen: number;
  /** Subscribers dropped because their buffer overflowed. */
  readonly dropped: number;
}

/**
 * The subscribers of one process, by clinic: each batch from the feed goes only to the subscribers
 * of the event's clinic (ELIG-5), synchronously, into their bounded buffers.
 */
export class LiveHub {
  private readonly byClinic = new Map<string, Set<LiveSubscriber>>();
  private maxBufferedSeen = 0;
  private dropped = 0;
  private closed = false;

  constructor(private readonly maxBuffered: number) {}

  /** Registers a subscriber at the feed's current position. */
  subscribe(
    clinicId: string,
    person: PersonRef,
    position: number,
    lastEventId: number | null,
  ): LiveSubscriber {
    const subscriber = new LiveSubscriber(clinicId, person, position, lastEventId, this);
    if (this.closed) {
      subscriber.end("closed");
      return subscriber;
    }
    let set = this.byClinic.get(clinicId);
    if (!set) {
      set = new Set();
      this.byClinic.set(clinicId, set);
    }
    set.add(subscriber);
    return subscriber;
  }

  /** Hands a batch of the feed to the subscribers of each event's clinic. */
  publish(events: readonly ConversationEvent[]): void {
    const byClinic = new Map<string, ConversationEvent[]>();
    for (const event of events) {
      const list = byClinic.get(event.clinicId);
      if (list) list.push(event);
      else byClinic.set(event.clinicId, [event]);
    }
    for (const [clinicId, list] of byClinic) {
      const subscribers = this.byClinic.get(clinicId);
      if (!subscribers) continue;
      for (const subscriber of [...subscribers]) subscriber.offer(list, this.maxBuffered);
    }
  }

  /** Forgets a subscriber (its stream ended, or it was dropped). */
  remove(subscriber: LiveSubscriber, dropped = false): void {
    const set = this.byClinic.get(subscriber.clinicId);
    if (!set?.delete(subscriber)) return;
    if (dropped) this.dropped++;
    if (set.size === 0) this.byClinic.delete(subscriber.clinicId);
  }

  /** Ends every stream (graceful shutdown): clients reconnect, to another process. */
  close(): void {
    this.closed = true;
    for (const set of [...this.byClinic.values()])
      for (const subscriber of [...set]) subscriber.end("closed");
  }

  noteBuffered(size: number): void {
    if (size > this.maxBufferedSeen) this.maxBufferedSeen = size;
  }

  stats(): LiveHubStats {
    let subscribers = 0;
    let buffered = 0;
    for (const set of this.byClinic.values()) {
      subscribers += set.size;
      for (const subscriber of set) buffered += subscriber.buffered;
    }
    return { subscribers, buffered, maxBufferedSeen: this.maxBufferedSeen, dropped: this.dropped };
  }
}
