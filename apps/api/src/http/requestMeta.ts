import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

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

/** Where a request came from, for the audit trail and the per-address sign-in limits (SEC-1, SEC-3). */
export type ClientAddress = (req: IncomingMessage) => string | null;

/** The peer of the connection: proxy headers are not trusted (the default). */
export const socketAddress: ClientAddress = (req) => req.socket.remoteAddress ?? null;

/**
 * The client's address behind the given reverse proxies (`TRUSTED_PROXIES`: addresses, CIDR
 * ranges, or `loopback`, `linklocal`, `uniquelocal`): `X-Forwarded-For` is read from the right,
 * through trusted hops only, and the first address that is not a trusted proxy is the client's.
 * A request that does not come from a trusted proxy is its socket's peer, whatever its headers
 * say. Without trusted proxies, {@link socketAddress}. Throws on an entry that is not an address
 * or range (the configuration reports it).
 */
export function clientAddress(trustedProxies: readonly string[]): ClientAddress {
  if (trustedProxies.length === 0) return socketAddress;
  const trust = proxyAddr.compile([...trustedProxies]);
  return (req) => (req.socket.remoteAddress ? proxyAddr(req, trust) : null);
}
