import type { Actor, ConversationEvent, PersonRef } from "@clinic-chat/domain";
import type { TRPCError } from "@trpc/server";
import type { Session } from "../auth/session";
import { checkStanding, type LiveApi, type LivePersonState } from "./liveDecide";
import type { LiveHistoryReads } from "./liveReads";
import type { LiveRequestCredentials } from "./liveSessions";
import type { LiveFrame } from "./liveWire";

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

/** One client's stream request, its session already resolved and its input validated. */
export interface LiveOpenRequest {
  readonly api: LiveApi;
  readonly session: Session;
  readonly actor: Actor;
  readonly credentials: LiveRequestCredentials;
  /** The id of the last event the client received, to resume after. */
  readonly lastEventId: number | null;
}

/** The people of one clinic with open streams on this process. */
export interface LiveClinic {
  readonly id: string;
  readonly people: Map<string, LivePerson>;
}

/** A signed-in person with open streams on this process: shared by all of them. */
export class LivePerson implements LivePersonState {
  readonly clinicId: string;
  membership = new Set<string>();
  seesChat = true;
  /** Resolves true once the membership is loaded (false: it failed and the streams ended). */
  ready: Promise<boolean> = Promise.resolve(false);
  /** True once `ready` resolved true. */
  loaded = false;
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
  /** True while the person's pipeline runs. */
  delivering = false;
  /** When the batch the pipeline delivers now was taken up (`Date.now()`). */
  deliveringSince = 0;

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

  /** {@link LivePersonState.addresses}: the distinct client addresses of their open streams. */
  addresses(): (string | null)[] {
    const addresses = new Set<string | null>();
    for (const group of this.sessions.values()) for (const stream of group.streams) addresses.add(stream.ip);
    return [...addresses];
  }

  /**
   * The person's standing (ELIG-6), read after this call: streams of one person opening together
   * share a check that started after they asked (at most one running and one queued per person).
   */
  checkStanding(): Promise<void> {
    if (this.nextStanding) return this.nextStanding;
    const start = (): Promise<void> => {
      const running = checkStanding(this).then(() => {
        this.standingAt = Date.now();
      });
      this.runningStanding = running;
      const clear = () => {
        if (this.runningStanding === running) this.runningStanding = null;
      };
      running.then(clear, clear);
      return running;
    };
    const running = this.runningStanding;
    if (!running) return start();
    const next = running
      .catch(() => undefined)
      .then(() => {
        this.nextStanding = null;
        return start();
      });
    this.nextStanding = next;
    return next;
  }

  /** Every open stream of the person, across their sessions. */
  streams(): LiveStream[] {
    const streams: LiveStream[] = [];
    for (const group of this.sessions.values()) for (const stream of group.streams) streams.push(stream);
    return streams;
  }
}

/** One sign-in (cookie session) of a person, and its open streams (tabs, devices). */
export class LiveSessionGroup {
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
export class LiveStream {
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
