import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// Kept on the request itself: cheaper than a WeakMap entry per request, which the garbage
// collector has to trace as an ephemeron.
const requestIdKey = Symbol("requestId");
type WithRequestId = IncomingMessage & { [requestIdKey]?: string };

// A caller's id is kept only when it cannot smuggle anything into our logs.
const acceptableRequestId = /^[A-Za-z0-9._-]{8,64}$/;

/** Gives the request its id: the caller's `X-Request-Id` when it is a plain token, else a fresh one. */
export function assignRequestId(req: IncomingMessage): string {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && acceptableRequestId.test(incoming) ? incoming : randomUUID();
  (req as WithRequestId)[requestIdKey] = id;
  return id;
}

/** The id {@link assignRequestId} gave the request (a fresh one if it was never assigned). */
export function requestIdOf(req: IncomingMessage): string {
  return (req as WithRequestId)[requestIdKey] ?? assignRequestId(req);
}

/** The client's address for the audit trail (SEC-3). Proxy headers are not trusted. */
export function clientIp(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}
