import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { SessionResolver } from "../auth/session";
import type { ApiDeps } from "../deps";
import type { RequestObservation } from "../metrics/metrics";
import type { ClientAddress } from "./requestMeta";

// The contract of the API's HTTP server (`server.ts`): what it needs, what it gives, and the
// live stream's endpoint it hands `GET /trpc/live.events` to.

/** What {@link createHttpServer} needs. */
export interface HttpServerOptions {
  readonly deps: ApiDeps;
  readonly sessionResolver: SessionResolver;
  readonly logger: Logger;
  /** Origins allowed to send state-changing requests (SEC-7), e.g. the PUBLIC_URL's origin. */
  readonly allowedOrigins: readonly string[];
  /** A built web app to serve, with client-side routes falling back to its index.html. */
  readonly staticDir?: string;
  /** Served over HTTPS (directly or behind a TLS proxy): adds Strict-Transport-Security. */
  readonly secure?: boolean;
  /** Origins the browser may fetch from besides ours: the object storage of presigned URLs (FILE-1). */
  readonly connectSources?: readonly string[];
  /** Largest request body tRPC reads, in bytes. */
  readonly maxBodyBytes?: number;
  /** How long `close()` waits for in-flight requests before cutting connections. */
  readonly shutdownGraceMs?: number;
  /** Where a request came from (default: the socket's peer; see `clientAddress`). */
  readonly clientAddress?: ClientAddress;
  /**
   * The hand-written SSE endpoint of the `live.events` subscription (same wire format as tRPC's
   * `httpSubscriptionLink` expects). Without it, tRPC serves the subscription itself.
   */
  readonly liveSse?: LiveSseHandler;
  /** Told of every finished request, with names and numbers only (OPS-4 metrics). */
  readonly observeRequest?: (observation: RequestObservation) => void;
  /** Signs the FHIR endpoint's access tokens (INTEG-1); instances behind one balancer share it. Random when absent. */
  readonly fhirTokenKey?: Buffer;
  /** Calls per API credential (INTEG-1); the domain's `hostCallLimits` when absent. */
  readonly fhirLimits?: { perMinute: number };
}

/** Serves `GET /trpc/live.events` (query string `input`, header `Last-Event-ID`). */
export interface LiveSseHandler {
  /**
   * `headers` are the ones every response of the server carries (request id, security headers,
   * Cache-Control, Connection when closing), as name/value pairs: a stream lives for hours, so the
   * handler sends them with its own in one `writeHead` instead of the response keeping a header
   * map for its whole life.
   */
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    headers: readonly (readonly [string, string])[],
  ): Promise<void>;
}

/** The running HTTP server. */
export interface HttpServer {
  readonly server: Server;
  /** Starts listening; resolves with the address actually bound (port 0 picks a free one). */
  listen(port: number, host: string): Promise<{ host: string; port: number; url: string }>;
  /** Stops accepting connections and resolves once in-flight requests have finished (or the grace ran out). */
  close(): Promise<void>;
}
