import type { Session } from "../../src/auth/session";
import { appOrigin } from "./api";
import { maxBodyBytes, type RpcServer } from "./rpcServer";

// The requests of trpcRpc.test.ts: what each must answer under tRPC's HTTP RPC protocol.

export type World = RpcServer["world"];
export type Outcome = "ok" | string;

export interface Case {
  readonly name: string;
  readonly method?: "GET" | "POST" | "HEAD" | "PUT";
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  readonly as?: (world: World) => Session | null;
  readonly arrange?: (server: RpcServer) => void;
  readonly status: number;
  /** Each call's outcome (an array for a batch's), or one error code for the request as a whole. */
  readonly outcome?: Outcome | readonly Outcome[];
  /** False: not JSON RPC, answered by tRPC's node adapter (streamed, without a Content-Length). */
  readonly rpc?: boolean;
}

const nurse = (w: World) => w.a.sessionOf(w.a.nurse);
const doctor = (w: World) => w.a.sessionOf(w.a.doctor);
const patient = (w: World) => w.a.sessionOf(w.a.patient);
const json = { "content-type": "application/json", origin: appOrigin };
const q = (value: unknown) => encodeURIComponent(JSON.stringify(value));
const uuid = "0b9f7c52-5d0e-4c43-9a4e-6f0c5c8d2a11";
const many = (n: number) => Array.from({ length: n }, () => "clinic.entitlements").join(",");
const post = (path: string, body?: string, headers: Record<string, string> = json) =>
  ({ method: "POST", path, body, headers }) as const;

export const cases: Case[] = [
  { name: "query ok", path: "/trpc/clinic.entitlements", as: nurse, status: 200, outcome: "ok" },
  {
    name: "query with input",
    path: `/trpc/conversations.list?input=${q({ limit: 5 })}`,
    as: nurse,
    status: 200,
    outcome: "ok",
  },
  {
    name: "mutation ok",
    ...post("/trpc/conversations.startWithPatient", "PATIENT_INPUT"),
    as: doctor,
    status: 200,
    outcome: "ok",
  },
  {
    name: "mutation ok, charset in the content type",
    ...post("/trpc/conversations.startTeam", "TEAM_INPUT", {
      ...json,
      "content-type": "Application/JSON; charset=utf-8",
    }),
    as: doctor,
    status: 200,
    outcome: "ok",
  },
  {
    name: "mutation setting a cookie (auth.signOut)",
    ...post("/trpc/auth.signOut", "{}"),
    status: 200,
    outcome: "ok",
  },
  {
    name: "mutation setting a cookie (auth.signIn)",
    ...post(
      "/trpc/auth.signIn",
      JSON.stringify({ audience: "staff", email: "a@clinic.test", password: "right password" }),
    ),
    status: 200,
    outcome: "ok",
  },
  {
    name: "AuthError (auth.signIn refused)",
    ...post(
      "/trpc/auth.signIn",
      JSON.stringify({ audience: "staff", email: "a@clinic.test", password: "wrong" }),
    ),
    status: 401,
    outcome: "UNAUTHORIZED",
  },
  {
    name: "batch of queries, all ok",
    path: `/trpc/conversations.list,clinic.entitlements?batch=1&input=${q({ 0: { limit: 5 } })}`,
    as: nurse,
    status: 200,
    outcome: ["ok", "ok"],
  },
  {
    name: "batch of mixed outcomes (207)",
    path: `/trpc/clinic.entitlements,conversations.open,conversations.list?batch=1&input=${q({ 1: { conversationId: uuid }, 2: { limit: 5000 } })}`,
    as: nurse,
    status: 207,
    outcome: ["ok", "NOT_FOUND", "BAD_REQUEST"],
  },
  {
    name: "batch of mutations",
    ...post("/trpc/auth.signOut,auth.signOut?batch=1", JSON.stringify({ 0: {}, 1: {} })),
    status: 200,
    outcome: ["ok", "ok"],
  },
  {
    name: "batch with an unknown procedure",
    path: "/trpc/clinic.entitlements,nope.nothing?batch=1",
    as: nurse,
    status: 207,
    outcome: ["ok", "NOT_FOUND"],
  },
  {
    name: "batch whose input is not an object",
    path: `/trpc/conversations.list,conversations.list?batch=1&input=${q([{ limit: 5 }])}`,
    as: nurse,
    status: 400,
    outcome: ["BAD_REQUEST", "BAD_REQUEST"],
  },
  {
    name: "batch mixing queries and mutations",
    path: "/trpc/clinic.entitlements,auth.signOut?batch=1",
    as: nurse,
    status: 400,
    outcome: "BAD_REQUEST",
  },
  {
    name: "too large batch",
    path: `/trpc/${many(21)}?batch=1&input={}`,
    as: nurse,
    status: 400,
    outcome: "BAD_REQUEST",
  },
  {
    name: "largest batch allowed",
    path: `/trpc/${many(20)}?batch=1`,
    as: nurse,
    status: 200,
    outcome: Array(20).fill("ok"),
  },
  { name: "unknown procedure", path: "/trpc/nope.nothing", as: nurse, status: 404, outcome: "NOT_FOUND" },
  {
    name: "unknown procedure, prototype key",
    path: "/trpc/constructor",
    as: nurse,
    status: 404,
    outcome: "NOT_FOUND",
  },
  {
    name: "path with a broken escape",
    path: "/trpc/clinic.%E0%A4%A",
    as: nurse,
    status: 400,
    outcome: "BAD_REQUEST",
  },
  {
    name: "GET to a mutation",
    path: `/trpc/auth.signOut?input=${q({})}`,
    status: 405,
    outcome: "METHOD_NOT_SUPPORTED",
  },
  {
    name: "POST to a query",
    ...post("/trpc/clinic.entitlements"),
    as: nurse,
    status: 405,
    outcome: "METHOD_NOT_SUPPORTED",
  },
  {
    name: "invalid JSON in the query input",
    path: "/trpc/conversations.list?input=%7Bnot%20json",
    as: nurse,
    status: 400,
    outcome: "BAD_REQUEST",
  },
  {
    name: "invalid JSON in the body",
    ...post("/trpc/auth.signOut", "{not json"),
    status: 400,
    outcome: "BAD_REQUEST",
  },
  { name: "empty body for a mutation", ...post("/trpc/auth.signOut"), status: 400, outcome: "BAD_REQUEST" },
  {
    name: "body with a byte order mark",
    ...post("/trpc/auth.signOut", "\uFEFF{}"),
    status: 200,
    outcome: "ok",
  },
  {
    name: "input the schema refuses (SEC-6)",
    path: `/trpc/conversations.list?input=${q({ limit: 5000, extra: "x" })}`,
    as: nurse,
    status: 400,
    outcome: "BAD_REQUEST",
  },
  { name: "missing input", path: "/trpc/conversations.open", as: nurse, status: 400, outcome: "BAD_REQUEST" },
  {
    name: "oversized body",
    ...post("/trpc/auth.signOut", JSON.stringify({ padding: "x".repeat(maxBodyBytes * 4) })),
    status: 413,
    outcome: "PAYLOAD_TOO_LARGE",
  },
  {
    name: "oversized body in a batch",
    ...post(
      "/trpc/auth.signOut,auth.signOut?batch=1",
      JSON.stringify({ 0: {}, 1: { padding: "x".repeat(maxBodyBytes * 4) } }),
    ),
    status: 413,
    outcome: ["PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE"],
  },
  { name: "no session (SEC-1)", path: "/trpc/clinic.entitlements", status: 401, outcome: "UNAUTHORIZED" },
  {
    name: "no session, in a batch (SEC-1)",
    path: `/trpc/clinic.entitlements,conversations.list?batch=1&input=${q({ 1: { limit: 5 } })}`,
    status: 401,
    outcome: ["UNAUTHORIZED", "UNAUTHORIZED"],
  },
  {
    name: "DomainError FORBIDDEN: a patient calling a staff procedure",
    path: "/trpc/clinic.entitlements",
    as: patient,
    status: 403,
    outcome: "FORBIDDEN",
  },
  {
    name: "DomainError NOT_FOUND from a use case",
    path: `/trpc/conversations.open?input=${q({ conversationId: uuid })}`,
    as: nurse,
    status: 404,
    outcome: "NOT_FOUND",
  },
  {
    name: "infrastructure failure",
    path: `/trpc/conversations.list?input=${q({ limit: 5 })}`,
    as: nurse,
    arrange: (server) => server.uow.failNext(new Error("connection reset")),
    status: 500,
    outcome: "INTERNAL_SERVER_ERROR",
  },
  {
    name: "context that cannot be built",
    path: "/trpc/clinic.entitlements",
    headers: { "x-test-session": "not base64 json" },
    status: 500,
    outcome: "INTERNAL_SERVER_ERROR",
  },
  // Not JSON RPC: tRPC's node adapter answers.
  {
    name: "POST without a content type",
    ...post("/trpc/auth.signOut", "{}", { origin: appOrigin }),
    status: 415,
    rpc: false,
  },
  {
    name: "POST of form data",
    ...post("/trpc/auth.signOut", "--x--\r\n", {
      origin: appOrigin,
      "content-type": "multipart/form-data; boundary=x",
    }),
    status: 400,
    rpc: false,
  },
  // A subscription answers with an event stream, here of one error event.
  {
    name: "a subscription over POST",
    ...post("/trpc/live.events", "{}"),
    as: nurse,
    status: 200,
    rpc: false,
  },
  {
    name: "JSONL streaming batch",
    path: `/trpc/${many(2)}?batch=1`,
    headers: { "trpc-accept": "application/jsonl" },
    as: nurse,
    status: 200,
    rpc: false,
  },
  { name: "HEAD", method: "HEAD", path: "/trpc/clinic.entitlements", status: 204, rpc: false },
  {
    name: "PUT",
    method: "PUT",
    ...{ path: "/trpc/auth.signOut", body: "{}", headers: json },
    status: 405,
    rpc: false,
  },
];
