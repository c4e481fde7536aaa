import { Writable } from "node:stream";
import {
  createPostgresAuthStore,
  createPostgresUnitOfWork,
  createRecordKeys,
  type EmailMessage,
  type Mailer,
} from "@clinic-chat/adapters";
import type { AuthStore, NotificationDeps, PersonRef } from "@clinic-chat/domain";
import { inMemoryKeyProvider } from "@clinic-chat/domain/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { createTestDatabase, type TestDatabase } from "../../../../packages/adapters/test/support/postgres";
import { type CreateAuthOptions, createAuth } from "../../src/auth/createAuth";
import { apiDepsFrom } from "../../src/deps";
import type { ClientAddress } from "../../src/http/requestMeta";
import { createHttpServer } from "../../src/http/server";
import { createLogger } from "../../src/logging";
import type { AppRouter } from "../../src/router";
import { FakeBlobStore, FakeClock, RecordingSender, SequentialIds } from "./fakes";
import { seedWorld } from "./world";

/** The origin the test server accepts state-changing requests from (SEC-7). */
export const authOrigin = "http://clinic.test";

/** Every seeded person's password in these tests. */
export const password = "correct horse battery staple";

/** argon2id, but cheap: the algorithm and format are production's, the cost is not. */
const testHashing = { memoryCost: 1024, timeCost: 1, parallelism: 1 } as const;

/** Records invitation emails; can be told to fail the next send. */
export class RecordingMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  failNext = false;
  async send(message: EmailMessage): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("smtp down");
    }
    this.sent.push(message);
  }
}

/** One browser: a cookie jar in front of a typed tRPC client over real HTTP. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header the server sent this browser, in order. */
  readonly setCookies: string[] = [];
  readonly trpc;
  constructor(
    url: string,
    /** Extra headers on every request (e.g. what a reverse proxy adds). */
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    this.trpc = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${url}/trpc`,
          headers: () => ({
            ...this.extraHeaders,
            origin: authOrigin,
            ...(this.cookies.size > 0
              ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
              : {}),
          }),
          fetch: async (input, init) => {
            const response = await fetch(input, init);
            for (const header of response.headers.getSetCookie()) this.receive(header);
            return response;
          },
        }),
      ],
    });
  }
  private receive(header: string): void {
    this.setCookies.push(header);
    const [pair = "", ...attributes] = header.split(";");
    const at = pair.indexOf("=");
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (value === "" || attributes.some((a) => a.trim().toLowerCase() === "max-age=0"))
      this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** The tRPC error of a failed call: its message and data, for assertions. */
export async function failure(
  call: Promise<unknown>,
): Promise<{ message: string; code: string; domainCode: unknown }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCClientError)) throw new Error("the call did not fail with a tRPC error");
  const data = error.data as { code: string; domainCode: unknown };
  return { message: error.message, code: data.code, domainCode: data.domainCode };
}

/**
 * The real HTTP server on the real PostgreSQL (a database of its own, as the application role),
 * with the real sign-in, a fake clock and a recording mailer. Seeded with the API tests' world;
 * every staff member and active patient gets {@link password}.
 */
export async function startAuthApi(
  opts: {
    config?: CreateAuthOptions["config"];
    limits?: CreateAuthOptions["limits"];
    clientAddress?: ClientAddress;
    /** Wraps sign-in's store (to count or hold its look-ups). */
    wrapStore?: (store: AuthStore) => AuthStore;
    /** The FHIR endpoint's calls per credential and minute (INTEG-1). */
    fhirLimits?: { perMinute: number };
  } = {},
) {
  const database: TestDatabase = await createTestDatabase();
  const clock = new FakeClock();
  const uow = createPostgresUnitOfWork(database.app, {
    notificationQueue: () => ({ schedule: async () => undefined }),
  });
  const world = await seedWorld(uow);
  const mailer = new RecordingMailer();
  // TOTP secrets are sealed (REC-1), as the product stores them.
  const authStore = createPostgresAuthStore(database.app, {
    recordKeys: createRecordKeys(inMemoryKeyProvider()),
  });
  const auth = createAuth({
    store: (opts.wrapStore ?? ((store) => store))(authStore),
    clock,
    mailer,
    config: opts.config ?? { publicUrl: authOrigin, nodeEnv: "test" },
    passwordHashing: testHashing,
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  for (const clinic of [world.a, world.b]) {
    for (const person of [
      clinic.admin,
      clinic.doctor,
      clinic.awayDoctor,
      clinic.nurse,
      clinic.former,
      clinic.patient,
    ]) {
      const ref: PersonRef =
        "role" in person ? { kind: "staff", id: person.id } : { kind: "patient", id: person.id };
      if (!person.email) throw new Error("every seeded person has an email");
      await auth.credentials.provision({
        clinicId: clinic.clinicId,
        person: ref,
        email: person.email,
        password,
      });
    }
  }
  const domain: NotificationDeps = {
    uow,
    blobs: new FakeBlobStore(clock),
    clock,
    ids: new SequentialIds(),
    links: { staffApp: `${authOrigin}/staff`, patientPortal: `${authOrigin}/portal` },
    email: new RecordingSender(),
    sms: new RecordingSender(),
  };
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
  // One API process of the installation: several may serve one database.
  const serve = () =>
    createHttpServer({
      deps: apiDepsFrom(domain, async () => true, auth.service),
      sessionResolver: auth.sessionResolver,
      logger,
      allowedOrigins: [authOrigin],
      ...(opts.clientAddress ? { clientAddress: opts.clientAddress } : {}),
      ...(opts.fhirLimits ? { fhirLimits: opts.fhirLimits } : {}),
    });
  const http = serve();
  const others: ReturnType<typeof serve>[] = [];
  const { url } = await http.listen(0, "127.0.0.1");
  return {
    url,
    world,
    clock,
    mailer,
    logs,
    uow,
    auth,
    /** Sign-in's store itself (unwrapped): what it reads back, sealed values opened. */
    authStore,
    /** Superuser handle on the test database: what is really stored. */
    owner: database.owner,
    browser: (headers: Record<string, string> = {}) => new Browser(url, headers),
    /** Starts another API process on the same database (its own in-process state); its URL. */
    async anotherServer(): Promise<string> {
      const other = serve();
      others.push(other);
      return (await other.listen(0, "127.0.0.1")).url;
    },
    async close() {
      for (const other of others) await other.close();
      await http.close();
      await database.close();
    },
  };
}

/** A running sign-in test API. */
export type AuthApi = Awaited<ReturnType<typeof startAuthApi>>;
