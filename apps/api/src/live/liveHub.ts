import {
  type ConversationEvent,
  DomainError,
  isDomainError,
  mayConcern,
  mayOpenStream,
  receivesTyping,
  type TypingNotice,
} from "@clinic-chat/domain";
import { TRPCError } from "@trpc/server";
import { loggableError, toTRPCError } from "../errors";
import type { LiveEvent } from "./LiveEvent";
import { asLiveEnd, decide } from "./liveDecide";
import { LiveHeartbeat } from "./liveHeartbeat";
import type { LiveHubOptions, LiveHubStats } from "./liveHubOptions";
import { LiveOutput } from "./liveOutput";
import { liveHistoryReads } from "./liveReads";
import { LiveRecheck } from "./liveRecheck";
import { LiveRegistry } from "./liveRegistry";
import {
  type LiveOpenRequest,
  type LivePerson,
  type LiveResponse,
  type LiveSessionGroup,
  LiveStream,
} from "./liveStreams";
import { dataFrame, type LiveFrame, passingFrame, reconnectFrame, streamFailure } from "./liveWire";

const readyEvent: LiveEvent = { type: "ready" };

/**
 * The streams of one process (kept by {@link LiveRegistry}, written by {@link LiveOutput}). Each
 * batch of the feed goes to the people of the events' clinic only (ELIG-5), through one pipeline
 * per person that keeps batches in id order: per batch, each distinct session that would receive
 * something is checked once (SEC-2), each person's view of the events is decided once (one audited
 * history read per conversation, every person's reads of a tick in one unit of work, SEC-3) and
 * serialized once, and the same frames are written to each of their streams.
 */
export class LiveHub {
  private readonly registry: LiveRegistry;
  private readonly output: LiveOutput;
  private sessionChecks = 0;
  /** The process's timers of all streams: the idle re-check, and the heartbeat when set. */
  private readonly timers: { start(): void; stop(): void }[];
  private closed = false;

  constructor(private readonly options: LiveHubOptions) {
    this.registry = new LiveRegistry(options.membership, liveHistoryReads(), (person, error) =>
      this.fail(person.streams(), error),
    );
    this.output = new LiveOutput(options.maxBuffered, (stream) => {
      this.registry.forget(stream);
      if (this.registry.subscribers === 0) for (const timer of this.timers) timer.stop();
    });
    const recheck = new LiveRecheck(
      {
        people: () => this.registry.people(),
        checkSession: (group) => this.checkSession(group),
        fail: (person, error) => this.fail(person.streams(), error),
      },
      options.recheckMs,
    );
    const beat = options.heartbeatMs;
    this.timers = beat ? [recheck, new LiveHeartbeat(this.registry, this.output, beat)] : [recheck];
  }

  /**
   * Opens a stream onto `res` (headers and the `connected` frame already written): registers it at
   * the feed's settled position P, checks the person's standing (ELIG-6), replays
   * `(lastEventId, P]` from the clinic's log, sends `ready`, then the feed's events above P.
   * Resolves once it is live (or ended); the stream then lives on without a pending promise.
   */
  async open(request: LiveOpenRequest, res: LiveResponse): Promise<void> {
    await this.options.feed.ready;
    if (res.destroyed) return;
    if (this.closed) {
      // Shutting down: the client reconnects, to another process.
      this.output.finish(res, reconnectFrame);
      return;
    }
    const position = this.options.feed.position();
    const person = this.registry.personFor(request);
    const group = this.registry.groupFor(person, request);
    const allowed = mayOpenStream(group.streams.size, this.options.streamsPerSession);
    if (!allowed.allowed) {
      // The session's open streams carry on; only this one is refused (OPS-1).
      const refusal = toTRPCError(new DomainError(allowed.reason, allowed.reason, allowed.details));
      this.options.logger?.info(
        { procedure: "live.events", code: refusal.code, domainCode: allowed.reason },
        "live stream refused",
      );
      this.output.finish(res, refusal);
      return;
    }
    const after = Math.max(position, request.lastEventId ?? 0);
    const stream = new LiveStream(res, group, after, request.actor.ip ?? null);
    this.registry.add(stream);
    res.on("close", () => this.output.end(stream, null));
    if (!this.closed) for (const timer of this.timers) timer.start();
    try {
      await person.checkStanding();
      if (!(await person.ready) || !stream.open) return;
      await this.replay(stream, request.lastEventId, position);
      if (!stream.open) return;
      // Everything up to here is sent; what the stream holds comes after it.
      const held = stream.queue ?? [];
      held.unshift(dataFrame(after, readyEvent));
      stream.replaying = false;
      this.output.flush(stream, held);
    } catch (error) {
      this.fail([stream], error);
    }
  }

  /** Hands a batch of the feed (id order) to the pipelines of the people of the events' clinics. */
  publish(events: readonly ConversationEvent[]): void {
    const byClinic = new Map<string, ConversationEvent[]>();
    for (const event of events) {
      if (!this.registry.clinics.has(event.clinicId)) continue;
      const list = byClinic.get(event.clinicId);
      if (list) list.push(event);
      else byClinic.set(event.clinicId, [event]);
    }
    for (const [clinicId, batch] of byClinic) {
      const clinic = this.registry.clinics.get(clinicId)!;
      for (const person of [...clinic.people.values()]) {
        // A person whose pipeline is idle is as current as it gets: when nothing of the batch can
        // concern them (ELIG-4), it would only go through their pipeline to be left out there.
        if (!person.delivering && person.loaded && !batch.some((event) => mayConcern(person, event)))
          continue;
        person.batches.push(batch);
        person.waiting += batch.length;
        if (!person.delivering) void this.run(person);
        else if (person.waiting > 4 * this.options.maxBuffered) {
          // Their pipeline is stuck (a read that does not answer): bounded like a stream's buffer,
          // their streams are dropped and resume from their last ids when they reconnect.
          for (const stream of person.streams()) this.output.drop(stream);
        }
      }
    }
  }

  /**
   * Passes a typing notice on to the streams of the people who see it (the domain's
   * `receivesTyping`: the other participants, ELIG-4, ELIG-5). Nothing is read, stored or held:
   * a stream that is replaying or waiting on its socket misses it, as a passing signal may.
   */
  passOn(notice: TypingNotice): void {
    const clinic = this.registry.clinics.get(notice.clinicId);
    if (!clinic) return;
    let frame: LiveFrame | null = null;
    for (const person of clinic.people.values()) {
      if (!person.loaded || !receivesTyping(person, notice)) continue;
      frame ??= passingFrame({
        type: "conversation.typing",
        conversationId: notice.conversationId,
        person: notice.person,
      });
      for (const stream of person.streams()) if (stream.queue === null) this.output.push(stream, frame);
    }
  }

  /** Ends every stream (graceful shutdown) with a retryable error: clients reconnect, to another process. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) timer.stop();
    for (const stream of [...this.registry.streams()]) this.output.end(stream, reconnectFrame);
  }

  stats(): LiveHubStats {
    let buffered = 0;
    for (const stream of this.registry.streams()) buffered += stream.queue?.length ?? 0;
    let delivering = 0;
    for (const person of this.registry.people()) if (person.delivering) delivering++;
    return {
      subscribers: this.registry.subscribers,
      buffered,
      maxBufferedSeen: this.output.maxBufferedSeen,
      dropped: this.output.dropped,
      sessionChecks: this.sessionChecks,
      delivering,
    };
  }

  /** Ends streams after a failure: a refusal with its code, anything else as retryable (logged without content). */
  private fail(streams: readonly LiveStream[], error: unknown): void {
    const ending = asLiveEnd(error);
    if (ending) {
      const domainCode = isDomainError(ending.error.cause) ? ending.error.cause.code : undefined;
      const fields = { procedure: "live.events", code: ending.error.code, domainCode };
      this.options.logger?.info(fields, "live stream ended");
      for (const stream of streams) this.output.end(stream, ending.error);
      return;
    }
    const failure = streamFailure(error);
    const fields = { procedure: "live.events", ...loggableError(error) };
    if (failure.code === "SERVICE_UNAVAILABLE") this.options.logger?.warn(fields, "live stream unavailable");
    else this.options.logger?.error(fields, "live stream failed");
    for (const stream of streams) this.output.end(stream, failure);
  }

  /** Replays `(lastEventId, position]` from the clinic's own (RLS-bound) log, page by page, in order. */
  private async replay(stream: LiveStream, lastEventId: number | null, position: number): Promise<void> {
    const person = stream.group.person;
    const pageSize = this.options.replayPageSize;
    let from = lastEventId;
    let first = true;
    while (from !== null && from < position && stream.open) {
      // The session was resolved for this request; later pages check it again.
      if (!first && !(await this.checkSession(stream.group))) return;
      first = false;
      const page = await person.api.chat.eventsAfter(person.actor, from, pageSize);
      const inRange = page.filter((event) => event.id <= position);
      for (const delivery of await decide(person, inRange))
        await this.output.writeWaiting(stream, dataFrame(delivery.id, delivery.event));
      const last = page.at(-1);
      from = last && page.length === pageSize ? last.id : null;
    }
  }

  /** Checks one session; a signed-out one's streams end at once with UNAUTHORIZED (SEC-2). */
  private async checkSession(group: LiveSessionGroup): Promise<boolean> {
    this.sessionChecks++;
    const signedIn = await this.options.sessions.stillSignedIn(group.session, group.credentials);
    group.checkedAt = Date.now();
    if (!signedIn) {
      const unauthorized = new TRPCError({ code: "UNAUTHORIZED" });
      for (const stream of [...group.streams]) this.output.end(stream, unauthorized);
    }
    return signedIn;
  }

  /**
   * A person's pipeline: their clinic's batches one after the other (what piled up meanwhile goes
   * as one), so each of their streams gets its ids in order; one slow person holds up nobody else.
   */
  private async run(person: LivePerson): Promise<void> {
    person.delivering = true;
    try {
      while (person.batches.length > 0 && person.sessions.size > 0) {
        const batches = person.batches;
        person.batches = [];
        person.waiting = 0;
        person.deliveringSince = Date.now();
        const events = batches.length === 1 ? batches[0]! : batches.flat();
        try {
          await this.deliver(person, events);
        } catch (error) {
          this.fail(person.streams(), error);
        }
      }
    } finally {
      person.delivering = false;
      if (person.sessions.size === 0) {
        person.batches = [];
        person.waiting = 0;
      }
    }
  }

  /**
   * One batch to one person: their sessions checked once each, their view decided and serialized
   * once. Every person's checks of a batch are asked after the same one `await`, in one tick, so
   * `cookieSessionCheck` sends them to the database as one statement: keep it that way.
   */
  private async deliver(person: LivePerson, events: readonly ConversationEvent[]): Promise<void> {
    if (!(await person.ready)) return;
    let after = Number.POSITIVE_INFINITY;
    for (const stream of person.streams()) if (stream.after < after) after = stream.after;
    let start = 0;
    while (start < events.length && events[start]!.id <= after) start++;
    if (start === events.length) return;
    const relevant = start === 0 ? events : events.slice(start);
    if (!relevant.some((event) => mayConcern(person, event))) return;
    const groups = [...person.sessions.values()];
    const signedIn = await Promise.all(groups.map((group) => this.checkSession(group)));
    if (!signedIn.some(Boolean) || person.sessions.size === 0) return;
    const deliveries = await decide(person, relevant);
    if (deliveries.length === 0) return;
    const frames = deliveries.map((d) => dataFrame(d.id, d.event));
    for (const stream of person.streams()) {
      for (const frame of frames) {
        if (frame.id <= stream.after) continue;
        stream.after = frame.id;
        this.output.push(stream, frame);
        if (!stream.open) break;
      }
    }
    this.observeLag(relevant, deliveries);
  }

  private observeLag(events: readonly ConversationEvent[], deliveries: readonly { id: number }[]): void {
    const observe = this.options.observeDeliveryLag;
    if (!observe) return;
    const now = Date.now();
    const delivered = new Set(deliveries.map((d) => d.id));
    for (const event of events) if (delivered.has(event.id)) observe((now - event.at.getTime()) / 1000);
  }
}
