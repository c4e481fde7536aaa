import { request } from "node:http";
import { Writable } from "node:stream";
import type { NotificationDeps } from "@clinic-chat/domain";
import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { AuthError } from "../../src/auth/AuthError";
import { sessionCookie } from "../../src/auth/cookies";
import type { AuthService } from "../../src/auth/createAuth";
import { apiDepsFrom } from "../../src/deps";
import { createHttpServer, type HttpServer } from "../../src/http/server";
import { createLogger } from "../../src/logging";
import { appOrigin, ControllableUnitOfWork } from "./api";
import { FakeBlobStore, FakeClock, RecordingSender, SequentialIds } from "./fakes";
import { headerSessionResolver } from "./sessions";
import { seedWorld } from "./world";

/** The request body limit of {@link startRpcServer}'s server. */
export const maxBodyBytes = 2_000;

/** Just enough sign-in for the auth procedures that set cookies; no database. */
const fakeAuth = {
  cookie: sessionCookie({ secure: true }),
  async signIn(input: { password: string }) {
    if (input.password !== "right password") throw new AuthError("SIGN_IN_FAILED");
    return { status: "signedIn", token: "t".repeat(43), recoveryCodes: [] };
  },
  async signOut() {},
} as unknown as AuthService;

/**
 * The real HTTP server over a seeded in-memory world, with the test's header session resolver
 * (`sessionHeaders`), a small body limit and every log line kept.
 */
export async function startRpcServer() {
  const memory = new InMemoryUnitOfWork();
  const world = await seedWorld(memory);
  const uow = new ControllableUnitOfWork(memory);
  const clock = new FakeClock();
  const domain: NotificationDeps = {
    uow,
    blobs: new FakeBlobStore(clock),
    clock,
    ids: new SequentialIds(),
    links: { staffApp: "http://clinic.test/app", patientPortal: "http://clinic.test/portal" },
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
  const http: HttpServer = createHttpServer({
    deps: apiDepsFrom(domain, async () => true, fakeAuth),
    sessionResolver: headerSessionResolver,
    logger,
    allowedOrigins: [appOrigin],
    secure: true,
    maxBodyBytes,
  });
  const { url } = await http.listen(0, "127.0.0.1");
  return { url, world, uow, logs, http };
}

export type RpcServer = Awaited<ReturnType<typeof startRpcServer>>;

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request exactly as written (fetch would normalise paths and add headers). */
export function sendRaw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Resolves once the access line of `requestId` is written (it is written when the response closes). */
export async function accessLineOf(server: RpcServer, requestId: string): Promise<void> {
  const has = () =>
    server.logs.some((line) => {
      const entry = JSON.parse(line) as { msg?: string; requestId?: string };
      return entry.msg === "request" && entry.requestId === requestId;
    });
  while (!has()) await new Promise((resolve) => setImmediate(resolve));
}

/** The log entries of one request. */
export function entriesOf(server: RpcServer, requestId: string): Record<string, unknown>[] {
  return server.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.requestId === requestId);
}
