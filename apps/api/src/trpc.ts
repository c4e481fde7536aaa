import type { IncomingMessage, ServerResponse } from "node:http";
import { type Actor, DomainError } from "@clinic-chat/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import { AuthError } from "./auth/AuthError";
import type { Session, SessionResolver } from "./auth/session";
import type { ApiDeps } from "./deps";
import { describeError, toTRPCError, unavailableError } from "./errors";
import { type ClientAddress, requestIdOf, socketAddress } from "./http/requestMeta";
import { inProcedureSpan } from "./tracing/activeTracer";

/**
 * The HTTP side of a request, for the few procedures that read or set the session cookie
 * (sign-in, sign-out). Absent when a router is called in-process.
 */
export interface HttpExchange {
  /** The request's Cookie header. */
  readonly cookieHeader: string | null;
  /** Adds a Set-Cookie header to the response. */
  setCookie(value: string): void;
}

/** What every procedure gets: the ports, who is signed in, and the request's id and address. */
export interface Context {
  readonly deps: ApiDeps;
  readonly session: Session | null;
  readonly requestId: string;
  readonly ip: string | null;
  readonly http: HttpExchange | null;
}

/**
 * The context from plain values: what tests and `createCaller` use. The HTTP side resolves the
 * session first and then calls this, so both paths build the same thing.
 */
export function createContextInner(opts: {
  deps: ApiDeps;
  session: Session | null;
  requestId?: string;
  ip?: string | null;
  http?: HttpExchange | null;
}): Context {
  return {
    deps: opts.deps,
    session: opts.session,
    requestId: opts.requestId ?? "internal",
    ip: opts.ip ?? null,
    http: opts.http ?? null,
  };
}

/** The HTTP side of a node request (a class: no closures to create per request). */
class NodeHttpExchange implements HttpExchange {
  readonly cookieHeader: string | null;
  constructor(
    req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.cookieHeader = req.headers.cookie ?? null;
  }
  setCookie(value: string): void {
    this.res.appendHeader("Set-Cookie", value);
  }
}

/**
 * The context of an HTTP request: resolves its session, then {@link createContextInner}, with the
 * client's address as `clientAddress` tells it (default: the socket's peer).
 */
export function createContextFactory(
  deps: ApiDeps,
  sessions: SessionResolver,
  clientAddress: ClientAddress = socketAddress,
) {
  return async ({ req, res }: { req: IncomingMessage; res?: ServerResponse }): Promise<Context> =>
    createContextInner({
      deps,
      session: await sessions.resolve(req).catch(unavailableIfDatabaseIs),
      requestId: requestIdOf(req),
      ip: clientAddress(req),
      http: res ? new NodeHttpExchange(req, res) : null,
    });
}

const t = initTRPC.context<Context>().create({
  // Never stack traces, never original messages: describeError decides everything the client sees (SEC-5).
  isDev: false,
  errorFormatter: ({ error, shape }) => {
    const { message, data } = describeError(error, shape.data.httpStatus);
    return { code: shape.code, message, data };
  },
});

/** Builds a router from a record of procedures and sub-records. */
export const createTRPCRouter = t.router;

/** Calls a router in-process (tests, scripts), with a context from {@link createContextInner}. */
export const createCallerFactory = t.createCallerFactory;

/** Rethrows `error`, as SERVICE_UNAVAILABLE when a server the API depends on is out of reach. */
function unavailableIfDatabaseIs(error: unknown): never {
  throw unavailableError(error) ?? error;
}

// OPS-4: each procedure is a span (when traces are exported), between its request's and its SQL's.
// Inside it, use cases' DomainError and sign-in's AuthError each become their tRPC code and
// sentence from the one table. One middleware for both: each layer of tRPC's chain is a step of
// every call.
const procedureBoundary = t.middleware(({ path, type, next }) =>
  inProcedureSpan(path, type, async () => {
    const result = await next();
    if (result.ok) return result;
    const cause = result.error.cause;
    if (cause instanceof DomainError || cause instanceof AuthError) throw toTRPCError(cause);
    const unavailable = unavailableError(cause);
    if (unavailable) throw unavailable;
    return result;
  }),
);

/** A procedure anyone may call, signed in or not. */
export const publicProcedure = t.procedure.use(procedureBoundary);

/** A procedure for a signed-in person; the actor comes from the session, never from the input. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  const session = ctx.session;
  if (!session) throw new TRPCError({ code: "UNAUTHORIZED" });
  const actor: Actor = { clinicId: session.clinicId, person: session.person, ip: ctx.ip };
  return next({ ctx: { session, actor } });
});

/** Staff only. A first gate: every staff use case checks the person again in the domain. */
export const staffProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.session.person.kind !== "staff") throw new DomainError("FORBIDDEN");
  return next();
});

/** Clinic admins only (settings, plan). The domain checks the role again from the directory. */
export const adminProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.session.role !== "admin") throw new DomainError("FORBIDDEN");
  return next();
});

/** Patients only (the Patient Portal). */
export const patientProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.session.person.kind !== "patient") throw new DomainError("FORBIDDEN");
  return next();
});
