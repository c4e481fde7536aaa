import { Writable } from "node:stream";
import type { NotificationDeps, Stores, UnitOfWork } from "@clinic-chat/domain";
import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { Session } from "../../src/auth/session";
import { type ApiDeps, apiDepsFrom } from "../../src/deps";
import { createHttpServer } from "../../src/http/server";
import { createLogger } from "../../src/logging";
import { type AppRouter, appRouter } from "../../src/router";
import { createCallerFactory, createContextInner } from "../../src/trpc";
import { FakeBlobStore, FakeClock, RecordingSender, SequentialIds } from "./fakes";
import { headerSessionResolver, sessionHeaders } from "./sessions";
import { seedWorld } from "./world";

/** The origin the test server accepts state-changing requests from (SEC-7). */
export const appOrigin = "http://clinic.test";

/** A promise with its resolve function outside. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * The in-memory unit of work with two test hooks: hold the next unit of work until released
 * (to catch a request in flight), and fail the next one with a given error (an infrastructure
 * failure).
 */
export class ControllableUnitOfWork implements UnitOfWork {
  private hold: { entered: () => void; release: Promise<void> } | null = null;
  private failure: unknown = null;
  constructor(readonly inner: InMemoryUnitOfWork) {}

  /** Holds the next unit of work; `entered` resolves when a request reaches it. */
  holdNext() {
    const entered = deferred();
    const release = deferred();
    this.hold = { entered: entered.resolve, release: release.promise };
    return { entered: entered.promise, release: release.resolve };
  }

  /** Makes the next unit of work throw `error`, as a broken database would. */
  failNext(error: unknown): void {
    this.failure = error;
  }

  async run<T>(clinicId: string, work: (stores: Stores) => Promise<T>): Promise<T> {
    if (this.failure !== null) {
      const error = this.failure;
      this.failure = null;
      throw error;
    }
    const hold = this.hold;
    if (hold) {
      this.hold = null;
      hold.entered();
      await hold.release;
    }
    return this.inner.run(clinicId, work);
  }
}

const createCaller = createCallerFactory(appRouter);

/** Starts the real HTTP server on a random loopback port over in-memory ports and a seeded world. */
export async function startTestApi(
  opts: {
    ready?: () => Promise<boolean>;
    staticDir?: string;
    secure?: boolean;
    override?: (deps: ApiDeps) => ApiDeps;
  } = {},
) {
  const memory = new InMemoryUnitOfWork();
  const world = await seedWorld(memory);
  const uow = new ControllableUnitOfWork(memory);
  const clock = new FakeClock();
  const blobs = new FakeBlobStore(clock);
  const email = new RecordingSender();
  const sms = new RecordingSender();
  const domain: NotificationDeps = {
    uow,
    blobs,
    clock,
    ids: new SequentialIds(),
    links: { staffApp: "http://clinic.test/app", patientPortal: "http://clinic.test/portal" },
    email,
    sms,
  };
  const built = apiDepsFrom(domain, opts.ready ?? (async () => true));
  const deps = opts.override ? opts.override(built) : built;
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
  const http = createHttpServer({
    deps,
    sessionResolver: headerSessionResolver,
    logger,
    allowedOrigins: [appOrigin],
    secure: opts.secure ?? true,
    ...(opts.staticDir ? { staticDir: opts.staticDir } : {}),
  });
  const { url } = await http.listen(0, "127.0.0.1");

  return {
    url,
    http,
    world,
    memory,
    uow,
    deps,
    clock,
    blobs,
    email,
    logs,
    /** A typed tRPC client over HTTP, signed in as `session` (or nobody). */
    clientAs(session: Session | null, extraHeaders: Record<string, string> = { origin: appOrigin }) {
      return createTRPCClient<AppRouter>({
        links: [
          httpLink({ url: `${url}/trpc`, headers: () => ({ ...sessionHeaders(session), ...extraHeaders }) }),
        ],
      });
    },
    /** The same router called in-process, for the fast generated cases. */
    callerAs(session: Session | null) {
      return createCaller(createContextInner({ deps, session, requestId: "test", ip: "127.0.0.1" }));
    },
    /** Raw HTTP to a procedure, for inputs the typed client would not let us send. */
    async raw(
      path: string,
      type: "query" | "mutation",
      input: unknown,
      session: Session | null,
      headers: Record<string, string> = { origin: appOrigin },
    ) {
      const all = { ...sessionHeaders(session), ...headers };
      const response =
        type === "query"
          ? await fetch(
              `${url}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
              { headers: all },
            )
          : await fetch(`${url}/trpc/${path}`, {
              method: "POST",
              headers: { "content-type": "application/json", ...all },
              body: input === undefined ? undefined : JSON.stringify(input),
            });
      return { response, text: await response.text() };
    },
    close: () => http.close(),
  };
}

/** A running test API. */
export type TestApi = Awaited<ReturnType<typeof startTestApi>>;
