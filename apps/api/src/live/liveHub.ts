import { type Actor, type ConversationEvent, isDomainError, type PersonRef } from "@clinic-chat/domain";
import { TRPCError } from "@trpc/server";
import type { Session } from "../auth/session";
import { loggableError } from "../errors";
import type { LiveEvent } from "./LiveEvent";
import {
  asLiveEnd,
  checkStanding,
  decide,
  type LiveApi,
  type LiveFeedSource,
  type LiveMembershipSource,
  type LivePersonState,
  mayConcern,
} from "./liveDecide";
import { type LiveHistoryReads, liveHistoryReads } from "./liveReads";
import type { LiveRequestCredentials, LiveSessionCheck } from "./liveSessions";
import { dataFrame, errorFrame, type LiveFrame, reconnectFrame } from "./liveWire";

/**
 * Where a stream's frames go: an HTTP response (`ServerResponse` is one). `write` returning false
 * means the socket is full: nothing more is written until `drain`.
 */
export interface LiveResponse {
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
  on(event: "close", listener: () => void): unknown;
  once(event: "drain" | "close", listener: () => void): unknown;
  off(event: "drain" | "close", listener: () => void): unknown;
  readonly destroyed: boolean;
  /** When present, a stream's final error goes here instead of being written as a frame. */
  liveError?(error: TRPCError): void;
  /** When present, events go here as values instead of being written as SSE text (an in-process consumer). */
  writeFrame?(frame: LiveFrame): boolean;
}

/** Writes one event: as a value where the response takes values, else as its SSE text. */
function send(res: LiveResponse, frame: LiveFrame): boolean {
  return res.writeFrame ? res.writeFrame(frame) : res.write(frame.text);
}

/** One client's stream request, its session already resolved and its input validated. */
export interface LiveOpenRequest {
  readonly api: LiveApi;
  readonly session: Session;
  readonly actor: Actor;
  readonly credentials: LiveRequestCredentials;
  /** The id of the last event the client received, to resume after. */
  readonly lastEventId: number | null;
}

/** Tuning and ports of the hub. */
export interface LiveHubOptions {
  readonly feed: LiveFeedSource;
  readonly membership: LiveMembershipSource;
  readonly sessions: LiveSessionCheck;
  readonly maxBuffered: number;
  readonly replayPageSize: number;
  readonly recheckMs: number;
  /** Where failures are logged: codes and error types only, never content (SEC-5). */
  readonly logger?: {
    info(fields: object, message: string): void;
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
}

/** The people of one clinic with open streams on this process. */
interface LiveClinic {
  readonly id: string;
  readonly people: Map<string, LivePerson>;
}

/** A signed-in person with open streams on this process: shared by all of them. */
class LivePerson implements LivePersonState {
  readonly clinicId: string;
  membership = new Set<string>();
  seesChat = true;
  /** Resolves true once the membership is loaded (false: it failed and the streams ended). */
  ready: Promise<boolean> = Promise.resolve(false);
  /** Their sessions with open streams, by the Cookie header that carries each. */
  readonly sessions = new Map<string | null, LiveSessionGroup>();
  standingAt = Date.now();
  /** The standing check running now, and the one queued behind it for whoever asks meanwhile. */
  runningStanding: Promise<void> | null = null;
  nextStanding: Promise<void> | null = null;
  /** Batches of the clinic's events (shared arrays) waiting for this person's pipeline. */
  batches: (readonly ConversationEvent[])[] = [];
  /** Events in `batches`. */
  waiting = 0;
  /** True while the idle re-check of this person runs. */
  rechecking = false;

  /** {@link LivePersonState.addresses}: the distinct client addresses of their open streams. */
  addresses(): (string | null)[] {
    const addresses = new Set<string | null>();
    for (const group of this.sessions.values()) for (const stream of group.streams) addresses.add(stream.ip);
    return [...addresses];
  }
  delivering = false;

  constructor(
    readonly clinic: LiveClinic,
    readonly key: string,
    readonly person: PersonRef,
    readonly actor: Actor,
    readonly api: LiveApi,
    readonly reads: LiveHistoryReads,
  ) {
    this.clinicId = clinic.id;
  }
}

/** One sign-in (cookie session) of a person, and its open streams (tabs, devices). */
class LiveSessionGroup {
  readonly streams = new Set<LiveStream>();
  checkedAt = Date.now();

  constructor(
    readonly person: LivePerson,
    readonly session: Session,
    readonly credentials: LiveRequestCredentials,
  ) {}
}

/**
 * One open stream: its response, how far it is, and the frames it holds back (while it replays,
 * or while its socket is full). No generator, no web stream, no timer of its own.
 */
class LiveStream {
  /** Events with ids up to here have been sent (or replayed, or are queued). */
  after: number;
  /** Held frames: non-null while replaying or while the socket is full; bounded by `maxBuffered`. */
  queue: LiveFrame[] | null = [];
  replaying = true;
  open = true;

  constructor(
    readonly res: LiveResponse,
    readonly group: LiveSessionGroup,
    after: number,
    /** The client address of this stream's request (audited with the reads it receives, SEC-3). */
    readonly ip: string | null,
  ) {
    this.after = after;
  }
}

function personKey(person: PersonRef): string {
  return `${person.kind}:${person.id}`;
}

const readyEvent: LiveEvent = { type: "ready" };

/**
 * The streams of one process, by clinic, person and session. Each batch of the feed goes to the
 * people of the events' clinic only (ELIG-5), through one pipeline per person that keeps batches
 * in id order: per batch, each distinct session that would receive something is checked once
 * (SEC-2), each person's view of the events is decided once (one audited history read per
 * conversation, every person's reads of a tick in one unit of work, SEC-3) and serialized once,
 * and the same frames are written to each of their streams.
 */
export class LiveHub {
  private readonly clinics = new Map<string, LiveClinic>();
  private subscribers = 0;
  private maxBufferedSeen = 0;
  private dropped = 0;
  private sessionChecks = 0;
  private closed = false;
  private recheckTimer: NodeJS.Timeout | null = null;
  /** Every person's history reads of one tick, one unit of work per clinic (SEC-3). */
  private readonly reads = liveHistoryReads();

  constructor(private readonly options: LiveHubOptions) {}

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
      this.finish(res, reconnectFrame);
      return;
    }
    const position = this.options.feed.position();
    const person = this.personFor(request);
    const group = this.groupFor(person, request);
    const stream = new LiveStream(
      res,
      group,
      Math.max(position, request.lastEventId ?? 0),
      request.actor.ip ?? null,
    );
    group.streams.add(stream);
    this.subscribers++;
    res.on("close", () => this.end(stream, null));
    this.startRecheck();
    try {
      await this.checkStanding(person);
      if (!(await person.ready) || !stream.open) return;
      await this.replay(stream, request.lastEventId, position);
      if (!stream.open) return;
      // Everything up to here is sent; what the stream holds comes after it.
      const held = stream.queue ?? [];
      held.unshift(dataFrame(Math.max(position, request.lastEventId ?? 0), readyEvent));
      stream.replaying = false;
      this.flush(stream, held);
    } catch (error) {
      this.fail([stream], error);
    }
  }

  /** Hands a batch of the feed (id order) to the pipelines of the people of the events' clinics. */
  publish(events: readonly ConversationEvent[]): void {
    const byClinic = new Map<LiveClinic, ConversationEvent[]>();
    for (const event of events) {
      const clinic = this.clinics.get(event.clinicId);
      if (!clinic) continue;
      const list = byClinic.get(clinic);
      if (list) list.push(event);
      else byClinic.set(clinic, [event]);
    }
    for (const [clinic, batch] of byClinic) {
      for (const person of [...clinic.people.values()]) {
        person.batches.push(batch);
        person.waiting += batch.length;
        if (!person.delivering) void this.run(person);
        else if (person.waiting > 4 * this.options.maxBuffered) {
          // Their pipeline is stuck (a read that does not answer): bounded like a stream's buffer,
          // their streams are dropped and resume from their last ids when they reconnect.
          for (const stream of this.streamsOf(person)) {
            this.dropped++;
            this.end(stream, reconnectFrame);
          }
        }
      }
    }
  }

  /** Ends every stream (graceful shutdown) with a retryable error: clients reconnect, to another process. */
  close(): void {
    this.closed = true;
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.recheckTimer = null;
    for (const stream of this.allStreams()) this.end(stream, reconnectFrame);
  }

  stats(): LiveHubStats {
    let buffered = 0;
    for (const stream of this.allStreams()) buffered += stream.queue?.length ?? 0;
    return {
      subscribers: this.subscribers,
      buffered,
      maxBufferedSeen: this.maxBufferedSeen,
      dropped: this.dropped,
      sessionChecks: this.sessionChecks,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Registration

  private personFor(request: LiveOpenRequest): LivePerson {
    const clinicId = request.session.clinicId;
    let clinic = this.clinics.get(clinicId);
    if (!clinic) {
      clinic = { id: clinicId, people: new Map() };
      this.clinics.set(clinicId, clinic);
    }
    const key = personKey(request.session.person);
    let person = clinic.people.get(key);
    if (!person) {
      const created = new LivePerson(
        clinic,
        key,
        request.session.person,
        request.actor,
        request.api,
        this.reads,
      );
      created.ready = this.options.membership.conversationsOf(clinicId, created.person).then(
        (membership) => {
          for (const id of created.membership) membership.add(id);
          created.membership = membership;
          return true;
        },
        (error: unknown) => {
          this.fail(this.streamsOf(created), error);
          return false;
        },
      );
      clinic.people.set(key, created);
      person = created;
    }
    return person;
  }

  private groupFor(person: LivePerson, request: LiveOpenRequest): LiveSessionGroup {
    const cookie = request.credentials.cookieHeader;
    let group = person.sessions.get(cookie);
    if (!group) {
      group = new LiveSessionGroup(person, request.session, request.credentials);
      person.sessions.set(cookie, group);
    }
    return group;
  }

  /** Forgets a stream and, when it was the last, its session, person and clinic. */
  private forget(stream: LiveStream): void {
    const group = stream.group;
    if (!group.streams.delete(stream)) return;
    this.subscribers--;
    if (group.streams.size > 0) return;
    const person = group.person;
    if (person.sessions.get(group.credentials.cookieHeader) === group)
      person.sessions.delete(group.credentials.cookieHeader);
    if (person.sessions.size > 0) return;
    const clinic = person.clinic;
    if (clinic.people.get(person.key) === person) clinic.people.delete(person.key);
    person.batches = [];
    person.waiting = 0;
    if (clinic.people.size === 0 && this.clinics.get(clinic.id) === clinic) this.clinics.delete(clinic.id);
    if (this.subscribers === 0 && this.recheckTimer) {
      clearInterval(this.recheckTimer);
      this.recheckTimer = null;
    }
  }

  private *allStreams(): Generator<LiveStream> {
    for (const clinic of [...this.clinics.values()])
      for (const person of [...clinic.people.values()]) yield* this.streamsOf(person);
  }

  private streamsOf(person: LivePerson): LiveStream[] {
    const streams: LiveStream[] = [];
    for (const group of person.sessions.values()) for (const stream of group.streams) streams.push(stream);
    return streams;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** Sends a frame, or holds it (bounded) while the stream replays or its socket is full. */
  private push(stream: LiveStream, frame: LiveFrame): void {
    if (!stream.open) return;
    const queue = stream.queue;
    if (queue !== null) {
      if (queue.length >= this.options.maxBuffered) {
        // Fallen too far behind: dropped, its buffer released; it resumes from its last id.
        this.dropped++;
        this.end(stream, reconnectFrame);
        return;
      }
      queue.push(frame);
      if (queue.length > this.maxBufferedSeen) this.maxBufferedSeen = queue.length;
      return;
    }
    if (!send(stream.res, frame)) this.waitForDrain(stream, []);
  }

  /** Writes held frames in order until the socket is full; the rest wait for `drain`. */
  private flush(stream: LiveStream, frames: readonly LiveFrame[]): void {
    stream.queue = null;
    for (let i = 0; i < frames.length; i++) {
      if (!stream.open) return;
      if (!send(stream.res, frames[i]!)) {
        this.waitForDrain(stream, frames.slice(i + 1));
        return;
      }
    }
  }

  private waitForDrain(stream: LiveStream, rest: LiveFrame[]): void {
    stream.queue = rest;
    stream.res.once("drain", () => {
      const queue = stream.queue;
      if (stream.open && queue !== null && !stream.replaying) this.flush(stream, queue);
    });
  }

  /** Writes a replayed frame directly, waiting for the socket when it is full. */
  private async writeWaiting(stream: LiveStream, frame: LiveFrame): Promise<void> {
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

  /** Ends a stream: with a final error frame (or none, when the client went away), then the response. */
  private end(stream: LiveStream, frame: string | TRPCError | null): void {
    if (!stream.open) return;
    stream.open = false;
    stream.queue = null;
    this.forget(stream);
    this.finish(stream.res, frame);
  }

  private finish(res: LiveResponse, frame: string | TRPCError | null): void {
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

  /** Ends streams after a failure: a refusal with its code, anything else as retryable (logged without content). */
  private fail(streams: readonly LiveStream[], error: unknown): void {
    const ending = asLiveEnd(error);
    if (ending) {
      this.options.logger?.info(
        { procedure: "live.events", code: ending.error.code, domainCode: domainCodeOf(ending.error) },
        "live stream ended",
      );
      for (const stream of streams) this.end(stream, ending.error);
      return;
    }
    this.options.logger?.error({ procedure: "live.events", ...loggableError(error) }, "live stream failed");
    const internal = new TRPCError({ code: "INTERNAL_SERVER_ERROR" });
    for (const stream of streams) this.end(stream, internal);
  }

  // ---------------------------------------------------------------------------------------------
  // Replay and delivery

  /** Replays `(lastEventId, position]` from the clinic's own (RLS-bound) log, page by page, in order. */
  private async replay(stream: LiveStream, lastEventId: number | null, position: number): Promise<void> {
    const person = stream.group.person;
    const pageSize = this.options.replayPageSize;
    let from = lastEventId;
    let first = true;
    while (from !== null && from < position && stream.open) {
      const after = from;
      // The session was resolved for this request; later pages check it again.
      if (!first && !(await this.checkSession(stream.group))) return;
      first = false;
      const page = await person.api.uow.run(person.clinicId, (stores) =>
        stores.events.after(after, pageSize),
      );
      const inRange = page.filter((event) => event.id <= position);
      for (const delivery of await decide(person, inRange))
        await this.writeWaiting(stream, dataFrame(delivery.id, delivery.event));
      const last = page.at(-1);
      from = last && page.length === pageSize ? last.id : null;
    }
  }

  /**
   * The person's standing (ELIG-6), read after this call: streams of one person opening together
   * share a check that started after they asked (at most one running and one queued per person).
   */
  private checkStanding(person: LivePerson): Promise<void> {
    if (person.nextStanding) return person.nextStanding;
    const start = (): Promise<void> => {
      const running = checkStanding(person).then(() => {
        person.standingAt = Date.now();
      });
      person.runningStanding = running;
      const clear = () => {
        if (person.runningStanding === running) person.runningStanding = null;
      };
      running.then(clear, clear);
      return running;
    };
    const running = person.runningStanding;
    if (!running) return start();
    const next = running
      .catch(() => undefined)
      .then(() => {
        person.nextStanding = null;
        return start();
      });
    person.nextStanding = next;
    return next;
  }

  /** Checks one session; a signed-out one's streams end at once with UNAUTHORIZED (SEC-2). */
  private async checkSession(group: LiveSessionGroup): Promise<boolean> {
    this.sessionChecks++;
    const signedIn = await this.options.sessions.stillSignedIn(group.session, group.credentials);
    group.checkedAt = Date.now();
    if (!signedIn) {
      const unauthorized = new TRPCError({ code: "UNAUTHORIZED" });
      for (const stream of [...group.streams]) this.end(stream, unauthorized);
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
        const events = batches.length === 1 ? batches[0]! : batches.flat();
        try {
          await this.deliver(person, events);
        } catch (error) {
          this.fail(this.streamsOf(person), error);
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
    for (const group of person.sessions.values())
      for (const stream of group.streams) if (stream.after < after) after = stream.after;
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
    for (const stream of this.streamsOf(person)) {
      for (const frame of frames) {
        if (frame.id <= stream.after) continue;
        stream.after = frame.id;
        this.push(stream, frame);
        if (!stream.open) break;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Idle re-checks: one timer for the whole process

  private startRecheck(): void {
    if (this.recheckTimer || this.closed) return;
    this.recheckTimer = setInterval(() => this.recheck(), this.options.recheckMs);
    this.recheckTimer.unref();
  }

  /**
   * Sessions and people not checked for a while are checked again, so an idle stream stops too.
   * Each person's re-check runs on its own: one still running (a slow or stuck database call) is
   * not started again, and holds up nobody else's.
   */
  private recheck(): void {
    const stale = Date.now() - this.options.recheckMs / 2;
    for (const clinic of this.clinics.values()) {
      for (const person of clinic.people.values()) {
        if (person.rechecking) continue;
        person.rechecking = true;
        void this.recheckPerson(person, stale).finally(() => {
          person.rechecking = false;
        });
      }
    }
  }

  private async recheckPerson(person: LivePerson, stale: number): Promise<void> {
    try {
      for (const group of [...person.sessions.values()])
        if (group.checkedAt <= stale) await this.checkSession(group);
      if (person.sessions.size > 0 && person.standingAt <= stale) await this.checkStanding(person);
    } catch (error) {
      this.fail(this.streamsOf(person), error);
    }
  }
}

function domainCodeOf(error: TRPCError): string | undefined {
  return isDomainError(error.cause) ? error.cause.code : undefined;
}

const reconnectCode = { code: "SERVICE_UNAVAILABLE", message: "reconnect" } as const;
