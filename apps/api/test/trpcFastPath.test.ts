import { request } from "node:http";
import { Writable } from "node:stream";
import type { NotificationDeps } from "@clinic-chat/domain";
import { InMemoryUnitOfWork } from "@clinic-chat/domain/testing";
import { createTRPCClient, httpBatchLink, httpLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError } from "../src/auth/AuthError";
import { sessionCookie } from "../src/auth/cookies";
import type { AuthService } from "../src/auth/createAuth";
import type { Session } from "../src/auth/session";
import { apiDepsFrom } from "../src/deps";
import { createHttpServer, type HttpServer } from "../src/http/server";
import { createLogger } from "../src/logging";
import type { AppRouter } from "../src/router";
import { appOrigin, ControllableUnitOfWork } from "./support/api";
import { FakeBlobStore, FakeClock, RecordingSender, SequentialIds } from "./support/fakes";
import { sessionHeaders } from "./support/sessions";
import { phi, phiMarkers, seedWorld } from "./support/world";

// The server answers queries and mutations on its own fast path instead of tRPC's node adapter
// (which goes through fetch Request/Response objects). Here two servers that differ only in that
// (`fastTrpc`) — each over its own, identically seeded world with deterministic ids and clock —
// get the same requests, and must answer with the same status, the same headers that matter and
// byte-identical bodies, and log the same lines.

const maxBodyBytes = 2_000;
const cookie = sessionCookie({ secure: true });

/** Just enough sign-in for the auth procedures that set cookies; no database. */
const fakeAuth = {
  cookie,
  async signIn(input: { password: string }) {
    if (input.password !== "right password") throw new AuthError("SIGN_IN_FAILED");
    return { status: "signedIn", token: "t".repeat(43), recoveryCodes: [] };
  },
  async signOut() {},
} as unknown as AuthService;

async function startSide(fastTrpc: boolean) {
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
    sessionResolver: { resolve: (req) => sessionResolve(req.headers["x-test-session"]) },
    logger,
    allowedOrigins: [appOrigin],
    secure: true,
    maxBodyBytes,
    fastTrpc,
  });
  const { url } = await http.listen(0, "127.0.0.1");
  return { url, world, uow, logs, http };
}

async function sessionResolve(header: string | string[] | undefined): Promise<Session | null> {
  if (typeof header !== "string") return null;
  return JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Session;
}

type Side = Awaited<ReturnType<typeof startSide>>;
type World = Side["world"];

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function send(
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
async function accessLineOf(side: Side, requestId: string): Promise<void> {
  const has = () =>
    side.logs.some((line) => {
      const entry = JSON.parse(line) as { msg?: string; requestId?: string };
      return entry.msg === "request" && entry.requestId === requestId;
    });
  while (!has()) await new Promise((resolve) => setImmediate(resolve));
}

/** The log lines of one request, without what varies between runs (time, duration, stack frames). */
function linesOf(side: Side, requestId: string): string[] {
  return side.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.requestId === requestId)
    .map(({ time: _time, ms: _ms, frames, ...rest }) =>
      JSON.stringify({ ...rest, frames: Array.isArray(frames) }),
    )
    .sort();
}

const comparedHeaders = [
  "content-type",
  "vary",
  "cache-control",
  "set-cookie",
  "x-request-id",
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "permissions-policy",
  "strict-transport-security",
  "access-control-allow-origin",
  "connection",
];

interface Case {
  readonly name: string;
  readonly method?: "GET" | "POST" | "HEAD" | "PUT";
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly as?: (world: World) => Session | null;
  /** What to break on the side before the request. */
  readonly arrange?: (side: Side) => void;
  /** The status both must answer. */
  readonly status: number;
  /** Whether the fast path answers (false: it declines, and tRPC's adapter answers on both sides). */
  readonly fast?: boolean;
}

const nurse = (w: World) => w.a.sessionOf(w.a.nurse);
const doctor = (w: World) => w.a.sessionOf(w.a.doctor);
const patient = (w: World) => w.a.sessionOf(w.a.patient);
const json = { "content-type": "application/json", origin: appOrigin };
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const uuid = "0b9f7c52-5d0e-4c43-9a4e-6f0c5c8d2a11";

const cases: Case[] = [
  { name: "query ok", path: "/trpc/clinic.entitlements", as: nurse, status: 200 },
  {
    name: "query ok with input",
    path: `/trpc/conversations.list?input=${q({ limit: 5 })}`,
    as: nurse,
    status: 200,
  },
  {
    name: "mutation ok",
    method: "POST",
    path: "/trpc/conversations.startWithPatient",
    headers: json,
    body: "PATIENT_INPUT",
    as: doctor,
    status: 200,
  },
  {
    name: "mutation ok, charset in the content type",
    method: "POST",
    path: "/trpc/conversations.startTeam",
    headers: { ...json, "content-type": "Application/JSON; charset=utf-8" },
    body: "TEAM_INPUT",
    as: doctor,
    status: 200,
  },
  {
    name: "mutation setting a cookie (auth.signOut without a session)",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: json,
    body: "{}",
    status: 200,
  },
  {
    name: "mutation setting a cookie (auth.signIn)",
    method: "POST",
    path: "/trpc/auth.signIn",
    headers: json,
    body: JSON.stringify({ audience: "staff", email: "a@clinic.test", password: "right password" }),
    status: 200,
  },
  {
    name: "AuthError (auth.signIn refused)",
    method: "POST",
    path: "/trpc/auth.signIn",
    headers: json,
    body: JSON.stringify({ audience: "staff", email: "a@clinic.test", password: "wrong" }),
    status: 401,
  },
  {
    name: "batch of queries, all ok",
    path: `/trpc/conversations.list,clinic.entitlements?batch=1&input=${q({ 0: { limit: 5 } })}`,
    as: nurse,
    status: 200,
  },
  {
    name: "batch mixed ok and error (207)",
    path: `/trpc/clinic.entitlements,conversations.open,conversations.list?batch=1&input=${q({
      1: { conversationId: uuid },
      2: { limit: 5000 },
    })}`,
    as: nurse,
    status: 207,
  },
  {
    name: "batch of mutations",
    method: "POST",
    path: "/trpc/auth.signOut,auth.signOut?batch=1",
    headers: json,
    body: JSON.stringify({ 0: {}, 1: {} }),
    status: 200,
  },
  {
    name: "batch with an unknown procedure",
    path: "/trpc/clinic.entitlements,nope.nothing?batch=1",
    as: nurse,
    status: 207,
  },
  {
    name: "batch whose input is not an object",
    path: `/trpc/conversations.list,conversations.list?batch=1&input=${q([{ limit: 5 }])}`,
    as: nurse,
    status: 400,
  },
  {
    name: "batch mixing queries and mutations",
    path: "/trpc/clinic.entitlements,auth.signOut?batch=1",
    as: nurse,
    status: 400,
  },
  {
    name: "too large batch",
    path: `/trpc/${Array.from({ length: 21 }, () => "clinic.entitlements").join(",")}?batch=1&input={}`,
    as: nurse,
    status: 400,
  },
  {
    name: "largest batch allowed",
    path: `/trpc/${Array.from({ length: 20 }, () => "clinic.entitlements").join(",")}?batch=1`,
    as: nurse,
    status: 200,
  },
  { name: "unknown procedure", path: "/trpc/nope.nothing", as: nurse, status: 404 },
  { name: "unknown procedure, prototype key", path: "/trpc/constructor", as: nurse, status: 404 },
  { name: "path with a broken escape", path: "/trpc/clinic.%E0%A4%A", as: nurse, status: 400 },
  {
    name: "wrong method: GET to a mutation",
    path: `/trpc/auth.signOut?input=${q({})}`,
    status: 405,
  },
  {
    name: "wrong method: POST to a query",
    method: "POST",
    path: "/trpc/clinic.entitlements",
    headers: json,
    as: nurse,
    status: 405,
  },
  {
    name: "invalid JSON in the query input",
    path: "/trpc/conversations.list?input=%7Bnot%20json",
    as: nurse,
    status: 400,
  },
  {
    name: "invalid JSON in the body",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: json,
    body: "{not json",
    status: 400,
  },
  {
    name: "empty body for a mutation",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: json,
    status: 400,
  },
  {
    name: "body with a byte order mark",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: json,
    body: "\uFEFF{}",
    status: 200,
  },
  {
    name: "zod validation failure",
    path: `/trpc/conversations.list?input=${q({ limit: 5000, extra: "x" })}`,
    as: nurse,
    status: 400,
  },
  {
    name: "missing input",
    path: "/trpc/conversations.open",
    as: nurse,
    status: 400,
  },
  {
    name: "oversized body",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: json,
    body: JSON.stringify({ padding: "x".repeat(maxBodyBytes * 4) }),
    status: 413,
  },
  {
    name: "oversized body in a batch",
    method: "POST",
    path: "/trpc/auth.signOut,auth.signOut?batch=1",
    headers: json,
    body: JSON.stringify({ 0: {}, 1: { padding: "x".repeat(maxBodyBytes * 4) } }),
    status: 413,
  },
  { name: "UNAUTHORIZED", path: "/trpc/clinic.entitlements", status: 401 },
  {
    name: "UNAUTHORIZED in a batch",
    path: `/trpc/clinic.entitlements,conversations.list?batch=1&input=${q({ 1: { limit: 5 } })}`,
    status: 401,
  },
  {
    name: "DomainError (FORBIDDEN: a patient calling a staff procedure)",
    path: "/trpc/clinic.entitlements",
    as: patient,
    status: 403,
  },
  {
    name: "DomainError (NOT_FOUND from a use case)",
    path: `/trpc/conversations.open?input=${q({ conversationId: uuid })}`,
    as: nurse,
    status: 404,
  },
  {
    name: "infrastructure failure (500)",
    path: `/trpc/conversations.list?input=${q({ limit: 5 })}`,
    as: nurse,
    arrange: (side) => side.uow.failNext(new Error("connection reset")),
    status: 500,
  },
  {
    name: "context that cannot be built",
    path: "/trpc/clinic.entitlements",
    headers: { "x-test-session": "not base64 json" },
    status: 500,
  },
  // Declined by the fast path: tRPC's adapter answers on both sides.
  {
    name: "POST without a content type (declined)",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: { origin: appOrigin },
    body: "{}",
    status: 415,
    fast: false,
  },
  {
    name: "POST of form data (declined)",
    method: "POST",
    path: "/trpc/auth.signOut",
    headers: { origin: appOrigin, "content-type": "multipart/form-data; boundary=x" },
    body: "--x--\r\n",
    status: 400,
    fast: false,
  },
  {
    name: "a subscription over POST (declined)",
    method: "POST",
    path: "/trpc/live.events",
    headers: json,
    body: "{}",
    as: nurse,
    // tRPC answers a subscription with an event stream, here of one error event.
    status: 200,
    fast: false,
  },
  {
    name: "JSONL streaming batch (declined)",
    path: "/trpc/clinic.entitlements,clinic.entitlements?batch=1",
    headers: { "trpc-accept": "application/jsonl" },
    as: nurse,
    status: 200,
    fast: false,
  },
  { name: "HEAD (declined)", method: "HEAD", path: "/trpc/clinic.entitlements", status: 204, fast: false },
  {
    name: "PUT (declined)",
    method: "PUT",
    path: "/trpc/auth.signOut",
    headers: json,
    body: "{}",
    status: 405,
    fast: false,
  },
];

let fast: Side;
let adapter: Side;
beforeAll(async () => {
  fast = await startSide(true);
  adapter = await startSide(false);
});
afterAll(async () => {
  await fast?.http.close();
  await adapter?.http.close();
});

function bodyOf(c: Case, world: World): string | undefined {
  if (c.body === "PATIENT_INPUT") return JSON.stringify({ patientId: world.a.patient.id });
  if (c.body === "TEAM_INPUT") return JSON.stringify({ staffIds: [world.a.nurse.id] });
  return c.body;
}

async function ask(side: Side, c: Case, requestId: string): Promise<RawAnswer> {
  c.arrange?.(side);
  const session = c.as?.(side.world) ?? null;
  const answer = await send(
    side.url,
    c.method ?? "GET",
    c.path,
    { ...sessionHeaders(session), ...c.headers, "x-request-id": requestId },
    bodyOf(c, side.world),
  );
  await accessLineOf(side, requestId);
  return answer;
}

describe("the tRPC fast path answers exactly as tRPC's node adapter does", () => {
  it("both sides start from the same world", () => {
    expect(fast.world.a.patient.id).toBe(adapter.world.a.patient.id);
  });

  // One after the other: the mutations change both worlds alike, in order.
  cases.forEach((c, n) => {
    it(`${n + 1}. ${c.name}`, async () => {
      const requestId = `case-${String(n + 1).padStart(4, "0")}`;
      const viaAdapter = await ask(adapter, c, requestId);
      const viaFast = await ask(fast, c, requestId);

      expect(viaAdapter.status, "status (adapter)").toBe(c.status);
      expect(viaFast.status, "status").toBe(viaAdapter.status);
      expect(viaFast.body, "body").toBe(viaAdapter.body);
      for (const header of comparedHeaders) {
        expect(viaFast.headers[header], header).toEqual(viaAdapter.headers[header]);
      }
      expect(linesOf(fast, requestId), "log lines").toEqual(linesOf(adapter, requestId));

      // tRPC's adapter streams every answer chunked; the fast path writes it once, with its length.
      expect(viaAdapter.headers["content-length"]).toBeUndefined();
      if (c.fast ?? true) {
        expect(viaFast.headers["content-length"]).toBe(String(Buffer.byteLength(viaFast.body)));
        expect(viaFast.headers["transfer-encoding"]).toBeUndefined();
      } else {
        expect(viaFast.headers["content-length"]).toBeUndefined();
      }
      for (const marker of phiMarkers) expect(viaFast.body).not.toContain(marker);
    });
  });

  it("the cases cover what they claim: cookies set, a 207, a 413 and domain codes in the bodies", () => {
    const all = fast.logs.join("\n");
    expect(all).toContain('"domainCode":"FORBIDDEN"');
    expect(all).toContain('"domainCode":"SIGN_IN_FAILED"');
    expect(all).toContain('"code":"PAYLOAD_TOO_LARGE"');
    expect(all).toContain('"code":"METHOD_NOT_SUPPORTED"');
  });
});

describe("SEC-5: procedure names in log lines", () => {
  it("only the router's own names are logged; a path that names none is the caller's text and is left out", async () => {
    const requestId = "names-0001";
    const batchId = "names-0002";
    await send(fast.url, "GET", `/trpc/${phi.patientMarker}.list`, { "x-request-id": requestId });
    await accessLineOf(fast, requestId);
    await send(fast.url, "GET", `/trpc/clinic.entitlements,${phi.patientMarker}?batch=1`, {
      "x-request-id": batchId,
    });
    await accessLineOf(fast, batchId);
    const lines = fast.logs.filter((line) => line.includes(requestId) || line.includes(batchId));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).not.toContain(phi.patientMarker);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.filter((e) => e.msg === "procedure refused").map((e) => e.procedure)).toContain(
      "clinic.entitlements",
    );
  });
});

describe("tRPC's own client over the fast path", () => {
  it("httpLink and httpBatchLink get typed results and typed errors", async () => {
    const session = fast.world.a.sessionOf(fast.world.a.nurse);
    const headers = { ...sessionHeaders(session), origin: appOrigin };
    const single = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${fast.url}/trpc`, headers })] });
    const batched = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${fast.url}/trpc`, headers })],
    });
    expect((await single.clinic.entitlements.query()).plan).toBe("premium");
    const [list, entitlements, missing] = await Promise.allSettled([
      batched.conversations.list.query({ limit: 5 }),
      batched.clinic.entitlements.query(),
      batched.conversations.open.query({ conversationId: uuid }),
    ]);
    expect(list.status === "fulfilled" && list.value.items).toBeTruthy();
    expect(entitlements.status === "fulfilled" && entitlements.value.plan).toBe("premium");
    expect(missing.status).toBe("rejected");
    if (missing.status === "rejected") {
      expect(missing.reason).toMatchObject({
        data: { code: "NOT_FOUND", domainCode: "NOT_FOUND", httpStatus: 404 },
      });
    }
    const signedOut = await batched.auth.signOut.mutate({});
    expect(signedOut).toEqual({ signedOut: true });
  });
});
