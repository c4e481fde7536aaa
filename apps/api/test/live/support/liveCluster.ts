import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Writable } from "node:stream";
import {
  connectPostgres,
  createEventDoorbell,
  createLivePostgresUnitOfWork,
  type LiveEventFeed,
  uuidV7Ids,
} from "@clinic-chat/adapters";
import {
  type Clinic,
  defaultSettings,
  type HistoryRead,
  type NotificationDeps,
  type Patient,
  type StaffMember,
  type UnitOfWork,
} from "@clinic-chat/domain";
import {
  createTRPCClient,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClientError,
} from "@trpc/client";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../../../../packages/adapters/test/support/postgres";
import type { Session, SessionResolver } from "../../../src/auth/session";
import { type ApiDeps, apiDepsFrom } from "../../../src/deps";
import { createHttpServer, type HttpServer } from "../../../src/http/server";
import { createLiveService, type LiveService } from "../../../src/live/createLiveService";
import type { LiveEvent } from "../../../src/live/LiveEvent";
import { cookieSessionCheck, type LiveSessionCheck } from "../../../src/live/liveSessions";
import { createLiveSse } from "../../../src/live/liveSse";
import { liveReaderPassword, startLive } from "../../../src/live/startLive";
import { createLogger } from "../../../src/logging";
import type { AppRouter } from "../../../src/router";
import { FakeBlobStore, FakeClock, RecordingSender, testUuid } from "../../support/fakes";
import { headerSessionResolver, sessionHeaders } from "../../support/sessions";
import { SseControl, TestEventSource } from "./TestEventSource";

/** The origin the test servers accept state-changing requests from (SEC-7). */
export const liveOrigin = "http://clinic.test";

/** Rejects after `ms`: every wait of these tests is for an event, bounded. */
export function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function staff(clinicId: string, n: number, name: string, role: StaffMember["role"]): StaffMember {
  return {
    id: testUuid("5aff", n),
    clinicId,
    name,
    email: `staff${n}@clinic.test`,
    role,
    active: true,
    availableForPatientChat: true,
    emailNotifications: true,
  };
}

function patient(clinicId: string, n: number, name: string): Patient {
  return {
    id: testUuid("9a71", n),
    clinicId,
    name,
    email: `patient${n}@mail.test`,
    mobilePhone: null,
    smsConsent: false,
    portalAccount: "active",
  };
}

function sessionOf(person: StaffMember | Patient): Session {
  return "role" in person
    ? { clinicId: person.clinicId, person: { kind: "staff", id: person.id }, role: person.role }
    : { clinicId: person.clinicId, person: { kind: "patient", id: person.id } };
}

/** Two clinics on Premium with patient chat on, and their people. */
async function seed(uow: UnitOfWork) {
  const people = (clinicId: string, base: number) => ({
    clinicId,
    admin: staff(clinicId, base + 1, "Ada Admin", "admin"),
    doctor: staff(clinicId, base + 2, "Dora Doctor", "practitioner"),
    nurse: staff(clinicId, base + 3, "Nina Nurse", "staff"),
    patient: patient(clinicId, base + 1, "Pat Patient"),
    otherPatient: patient(clinicId, base + 2, "Otto Other"),
  });
  const a = people(testUuid("c1a0", 1), 0);
  const b = people(testUuid("c1a0", 2), 100);
  for (const [clinic, name] of [
    [a, "Maple Clinic"],
    [b, "Birch Clinic"],
  ] as const) {
    const record: Clinic = {
      id: clinic.clinicId,
      name,
      plan: "premium",
      timeZone: "UTC",
      settings: { ...defaultSettings("premium"), patientChatEnabled: true },
    };
    await uow.run(clinic.clinicId, async (stores) => {
      await stores.clinics.create(record);
      for (const s of [clinic.admin, clinic.doctor, clinic.nurse]) await stores.directory.saveStaff(s);
      for (const p of [clinic.patient, clinic.otherPatient]) await stores.directory.savePatient(p);
    });
  }
  return { a, b, sessionOf };
}

/** The test cookie of the live streams: the person's id stands in for a session token. */
const liveCookieName = "live-test";

export function liveCookie(session: Session | null): Record<string, string> {
  return session ? { cookie: `other=1; ${liveCookieName}=${session.person.id}` } : {};
}

/** Reads the test cookie, as sign-in's cookie reads its own. */
export const liveTestCookie = {
  read(cookieHeader: string | null | undefined): string | null {
    const match = new RegExp(`(?:^|;\\s*)${liveCookieName}=([^;]*)`).exec(cookieHeader ?? "");
    return match?.[1] ?? null;
  },
};

/** One event as the client got it: the tracked id and the event (dates arrive as strings). */
export interface Received {
  readonly id: string;
  readonly data: LiveEvent;
}

/** A signed-in browser tab: a tRPC client whose subscriptions go over SSE, and what its live stream delivered. */
export class LiveClient {
  readonly control = new SseControl();
  readonly received: Received[] = [];
  readonly errors: TRPCClientError<AppRouter>[] = [];
  readonly trpc;
  private readonly checks = new Set<() => void>();
  private subscription: { unsubscribe(): void } | null = null;

  constructor(
    url: string,
    /** Null: a tab that is not signed in. */
    readonly session: Session | null,
  ) {
    this.trpc = createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({
            url: `${url}/trpc`,
            EventSource: TestEventSource,
            eventSourceOptions: () => ({
              headers: { ...sessionHeaders(session), ...liveCookie(session) },
              control: this.control,
            }),
          }),
          false: httpLink({
            url: `${url}/trpc`,
            headers: () => ({ ...sessionHeaders(session), origin: liveOrigin }),
          }),
        }),
      ],
    });
  }

  /** Opens the live stream (optionally resuming after an id). */
  subscribe(lastEventId?: string): this {
    this.subscription = this.trpc.live.events.subscribe(lastEventId ? { lastEventId } : {}, {
      onData: (event) => {
        this.received.push(event as unknown as Received);
        this.notify();
      },
      onError: (error) => {
        this.errors.push(error);
        this.notify();
      },
    });
    return this;
  }

  unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
  }

  private notify(): void {
    for (const check of [...this.checks]) check();
  }

  /** The events of a type, in the order received. */
  of<T extends LiveEvent["type"]>(type: T): (Received & { data: Extract<LiveEvent, { type: T }> })[] {
    return this.received.filter((r) => r.data.type === type) as (Received & {
      data: Extract<LiveEvent, { type: T }>;
    })[];
  }

  /** Waits (bounded) until what was received satisfies `predicate`. */
  until(predicate: (client: this) => boolean, what: string): Promise<void> {
    return within(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!predicate(this)) return;
          this.checks.delete(check);
          resolve();
        };
        this.checks.add(check);
        check();
      }),
      what,
    ).finally(() => this.checks.clear());
  }

  /** Waits until the stream has said it is caught up `count` times (once per connection). */
  ready(count = 1): Promise<void> {
    return this.until((c) => c.of("ready").length >= count, `ready #${count}`);
  }
}

/** One API process: its own pool, doorbell, LISTEN connection and feed, live service and HTTP server. */
export interface LiveProcess {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly feed: LiveEventFeed;
  readonly live: LiveService;
  readonly uow: UnitOfWork;
  readonly http: HttpServer;
  /** The process's API dependencies (for in-process callers of the router). */
  readonly deps: ApiDeps;
  readonly logs: string[];
  /** Graceful shutdown, in the order main.ts does it: streams, HTTP, feed, doorbell, pool. */
  stop(): Promise<void>;
}

/** Makes `held` hold `id`'s calls (they await its promise) until the returned function is called. */
function hold(held: Map<string, Promise<void>>, id: string): () => void {
  let release!: () => void;
  held.set(
    id,
    new Promise<void>((resolve) => {
      release = resolve;
    }),
  );
  return () => {
    held.delete(id);
    release();
  };
}

/**
 * The live machinery of two API processes on one real PostgreSQL (a database of this test file's
 * own), with the test header sessions and a sign-out switch per person.
 */
export async function startLiveCluster(
  options: {
    maxBuffered?: number;
    recheckMs?: number;
    cookieSessions?: boolean;
    streamsPerSession?: number;
    /** Pings every stream this often; clients reconnect after twice that of silence (MSG-2). */
    heartbeatMs?: number;
  } = {},
) {
  const database: TestDatabase = await createTestDatabase();
  // Roles are shared by the whole server: each test file gets a reader role of its own.
  const readerRole = `clinic_chat_live_${randomBytes(4).toString("hex")}`;
  const readerPassword = liveReaderPassword(randomBytes(12).toString("hex"));
  const clock = new FakeClock();
  const seedDb = connectPostgres(database.appUrl, { max: 2 });
  const seedBell = createEventDoorbell(seedDb);
  const world = await seed(
    createLivePostgresUnitOfWork(seedDb, {
      notificationQueue: () => ({ schedule: async () => undefined }),
      doorbell: seedBell,
    }),
  );
  await seedBell.close();
  await seedDb.destroy();

  /** People signed out: their streams must stop, their requests are refused. */
  const signedOut = new Set<string>();
  const sessionResolver: SessionResolver = {
    async resolve(req: IncomingMessage) {
      const session = await headerSessionResolver.resolve(req);
      return session && !signedOut.has(session.person.id) ? session : null;
    },
  };
  /** Session checks of the live streams, by person id (SEC-2: one per distinct session per batch). */
  const sessionChecks = new Map<string, number>();
  /**
   * The domain's history reads (readHistory calls, and each read of a readHistories call), by
   * person id (SEC-3: one per person per conversation per batch).
   */
  const historyReads = new Map<string, number>();
  /** The reads of each readHistories call (the live path: one call per clinic per tick). */
  const historyBatches: HistoryRead[][] = [];
  /** Reads held back, by person id: a database call that does not answer, for that person only. */
  const heldReads = new Map<string, Promise<void>>();
  const bump = (counts: Map<string, number>, id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
  /** The tokens of each batched session look-up the live streams made (SEC-2: one per tick). */
  const peekTokenCalls: (string | null)[][] = [];
  const everyone = new Map<string, Session>();
  for (const clinic of [world.a, world.b])
    for (const person of [clinic.admin, clinic.doctor, clinic.nurse, clinic.patient, clinic.otherPatient])
      everyone.set(person.id, sessionOf(person));
  // By default a check per call, by the session's person. With `cookieSessions`, the product's
  // check (cookieSessionCheck, one look-up per tick) over a resolver that takes the test cookie's
  // person id for a token (a signed-out person's token finds nothing); streams without the test
  // cookie (in-process callers, raw requests) then count as signed out.
  /** Session checks held back, by person id: a look-up that does not answer (per-call checks only). */
  const heldChecks = new Map<string, Promise<void>>();
  const perCall: LiveSessionCheck = {
    stillSignedIn: async (session) => {
      bump(sessionChecks, session.person.id);
      await heldChecks.get(session.person.id);
      return !signedOut.has(session.person.id);
    },
  };
  const batched: LiveSessionCheck = cookieSessionCheck(
    {
      async peekTokens(tokens) {
        peekTokenCalls.push([...tokens]);
        return tokens.map((token) => {
          if (token === null) return null;
          bump(sessionChecks, token);
          return signedOut.has(token) ? null : (everyone.get(token) ?? null);
        });
      },
    },
    liveTestCookie,
  );
  const sessions = options.cookieSessions ? batched : perCall;
  const processes = new Set<LiveProcess>();

  /**
   * Starts an API process. `sse: false` leaves the hand-written SSE endpoint out, so tRPC serves
   * `live.events` itself (the reference for the wire format).
   */
  async function startProcess(name: string, port = 0, { sse = true } = {}): Promise<LiveProcess> {
    const logs: string[] = [];
    const logger = createLogger({
      level: "debug",
      destination: new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    });
    const db = connectPostgres(database.appUrl, { max: 6 });
    // What main.ts does: the reader role, the feed and its LISTEN connection, the doorbell.
    const running = await startLive({
      ownerUrl: database.ownerUrl,
      appDb: db,
      readerRole,
      readerPassword,
      logger,
    });
    const { feed, doorbell } = running;
    const uow = createLivePostgresUnitOfWork(db, {
      notificationQueue: () => ({ schedule: async () => undefined }),
      doorbell,
    });
    const live = createLiveService({
      feed,
      membership: running.membership,
      typing: running.typing,
      sessions,
      logger,
      ...(options.maxBuffered ? { maxBuffered: options.maxBuffered } : {}),
      ...(options.recheckMs ? { recheckMs: options.recheckMs } : {}),
      ...(options.streamsPerSession ? { streamsPerSession: options.streamsPerSession } : {}),
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    });
    const domain: NotificationDeps = {
      uow,
      blobs: new FakeBlobStore(clock),
      clock,
      ids: uuidV7Ids,
      links: { staffApp: `${liveOrigin}/staff`, patientPortal: `${liveOrigin}/portal` },
      email: new RecordingSender(),
      sms: new RecordingSender(),
    };
    const plain = apiDepsFrom(domain, async () => true);
    const chat: typeof plain.chat = {
      ...plain.chat,
      readHistory: async (actor, input) => {
        bump(historyReads, actor.person.id);
        await heldReads.get(actor.person.id);
        return plain.chat.readHistory(actor, input);
      },
      readHistories: async (clinicId, reads) => {
        historyBatches.push([...reads]);
        for (const read of reads) bump(historyReads, read.actor.person.id);
        // A held person's read holds the whole unit of work it shares with the others of its tick.
        await Promise.all(reads.map((read) => heldReads.get(read.actor.person.id)));
        return plain.chat.readHistories(clinicId, reads);
      },
    };
    const apiDeps = { ...plain, chat, live };
    const http = createHttpServer({
      deps: apiDeps,
      sessionResolver,
      logger,
      allowedOrigins: [liveOrigin],
      shutdownGraceMs: 2_000,
      // The product path: live.events over the hand-written SSE endpoint.
      ...(sse ? { liveSse: createLiveSse({ live, api: apiDeps, sessionResolver, logger }) } : {}),
    });
    const address = await http.listen(port, "127.0.0.1");
    const process: LiveProcess = {
      name,
      url: address.url,
      port: address.port,
      feed,
      live,
      uow,
      http,
      deps: apiDeps,
      logs,
      async stop() {
        processes.delete(process);
        live.close();
        await http.close();
        await running.stop();
        await db.destroy();
      },
    };
    processes.add(process);
    return process;
  }

  const clients = new Set<LiveClient>();
  return {
    world,
    database,
    clock,
    startProcess,
    signOut: (person: { id: string }) => signedOut.add(person.id),
    sessionChecks,
    peekTokenCalls,
    historyReads,
    historyBatches,
    /** Holds every session check of `person` (per-call checks) until the returned function is called. */
    holdSessionChecks: (person: { id: string }) => hold(heldChecks, person.id),
    /** Holds every read of `person`'s messages until the returned function is called. */
    holdReads: (person: { id: string }) => hold(heldReads, person.id),
    /** Fails every read of `person`'s messages with `error` until the returned function is called. */
    failReads: (person: { id: string }, error: Error) => {
      const failing = Promise.reject(error);
      failing.catch(() => undefined);
      heldReads.set(person.id, failing);
      return () => heldReads.delete(person.id);
    },
    /** A tab of `person` talking to `process`. */
    client(process: Pick<LiveProcess, "url">, person: StaffMember | Patient | null): LiveClient {
      const client = new LiveClient(process.url, person ? sessionOf(person) : null);
      clients.add(client);
      return client;
    },
    async close() {
      for (const client of clients) client.unsubscribe();
      for (const process of [...processes]) await process.stop();
      await database.close();
    },
  };
}

/** A running cluster. */
export type LiveCluster = Awaited<ReturnType<typeof startLiveCluster>>;
