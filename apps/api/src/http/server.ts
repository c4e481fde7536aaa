import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loggableError } from "../errors";
import { createFhirRoute } from "../fhir/fhirRoute";
import { createContextFactory } from "../trpc";
import { assignRequestId, requestIdOf, socketAddress } from "./requestMeta";
import { securityHeaderList } from "./securityHeaders";
import type { HttpServer, HttpServerOptions } from "./serverOptions";
import { serveStatic } from "./staticFiles";
import { createTrpcRoute, loggableProcedures } from "./trpcRoute";

export type { HttpServer, HttpServerOptions, LiveSseHandler } from "./serverOptions";

const trpcPrefix = "/trpc/";
const liveEventsPath = "/trpc/live.events";

/** Whether a request's raw URL is the live stream's (decided before the URL is parsed). */
function isLiveEventsUrl(url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(liveEventsPath)) return false;
  return url.length === liveEventsPath.length || url[liveEventsPath.length] === "?";
}
type Route =
  | "trpc"
  | "fhir"
  | "live"
  | "health"
  | "ready"
  | "static"
  | "preflight"
  | "not_found"
  | "forbidden_origin";

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(body));
}

function normaliseOrigin(origin: string): string {
  return new URL(origin).origin;
}

/**
 * The API's HTTP server on `node:http`: tRPC at `/trpc` (see `createTrpcRoute`), liveness at
 * `/health`, readiness at `/ready`, and optionally the built web app. Every response gets the security headers and an
 * `X-Request-Id`; every state-changing request must come from an allowed origin (SEC-7); CORS stays
 * closed (no Access-Control-* headers at all). Logs carry ids, routes and status codes only, never
 * bodies or query strings (SEC-5).
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const { deps, logger } = opts;
  const allowedOrigins = new Set(opts.allowedOrigins.map(normaliseOrigin));
  const securityHeaders = securityHeaderList({
    secure: opts.secure ?? false,
    connectSources: opts.connectSources ?? [],
  });
  /** What every response carries, as a list (see `setCommonHeaders`). */
  const commonHeaders = (requestId: string): (readonly [string, string])[] => [
    ["X-Request-Id", requestId],
    ...securityHeaders,
    ["Cache-Control", "no-store"],
    ...(closing ? [["Connection", "close"] as const] : []),
  ];
  const setCommonHeaders = (res: ServerResponse, requestId: string) => {
    res.setHeader("X-Request-Id", requestId);
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    if (closing) res.setHeader("Connection", "close");
  };
  /** A JSON answer of the server itself, with the common headers even where they were left for later. */
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    if (!res.hasHeader("X-Request-Id")) setCommonHeaders(res, requestIdOf(res.req));
    sendJson(res, status, body);
  };
  // The access line holds only ids, the route, procedure names, the status and a duration, never
  // anything the caller wrote (SEC-5), so it skips the redaction pass, which would cost more
  // than the rest of the line.
  const accessLog = logger.child({}, { redact: [] });
  const createContext = createContextFactory(deps, opts.sessionResolver, opts.clientAddress);
  // Room for a patient CSV import (ADMIN-3: up to 2 MB of text, a little more as JSON).
  const maxBodyBytes = opts.maxBodyBytes ?? 2_500_000;
  const inFlight = new Set<ServerResponse>();
  let closing: Promise<void> | null = null;

  const trpc = createTrpcRoute({ createContext, logger, maxBodyBytes });
  const fhir = createFhirRoute({
    chat: deps.chat,
    clientAddress: opts.clientAddress ?? socketAddress,
    ...(opts.fhirTokenKey ? { tokenKey: opts.fhirTokenKey } : {}),
    ...(opts.fhirLimits ? { limits: opts.fhirLimits } : {}),
  });

  // Names the route before answering, so the access log line (written when the response closes) has it.
  const route = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    mark: (route: Route) => void,
  ): Promise<void> => {
    const { pathname } = url;
    const method = req.method ?? "GET";
    const readOnly = method === "GET" || method === "HEAD";
    // The host system's calls (INTEG-2) carry a bearer token, never a cookie: no origin to check.
    if (pathname.startsWith("/fhir/")) {
      mark("fhir");
      await fhir(req, res, url);
      return;
    }
    if (!readOnly) {
      const origin = req.headers.origin;
      if (typeof origin !== "string" || !allowedOrigins.has(origin)) {
        mark("forbidden_origin");
        reply(res, 403, { message: "This request was refused because it came from another site." });
        return;
      }
    }
    if (method === "OPTIONS") {
      // CORS is closed: a preflight gets no Access-Control-* headers, so browsers refuse cross-origin calls.
      mark("preflight");
      res.statusCode = 204;
      res.end();
      return;
    }
    if (pathname === "/health" && readOnly) {
      mark("health");
      reply(res, 200, { status: "ok" });
      return;
    }
    if (pathname === "/ready" && readOnly) {
      mark("ready");
      const ready = await deps.ready().catch(() => false);
      reply(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready" });
      return;
    }
    if (pathname.startsWith(trpcPrefix)) {
      // Queries are GETs; a browser marks one made by another site, and we refuse it as well.
      if (readOnly && req.headers["sec-fetch-site"] === "cross-site") {
        mark("forbidden_origin");
        reply(res, 403, { message: "This request was refused because it came from another site." });
        return;
      }
      if (opts.liveSse && pathname === liveEventsPath && method === "GET") {
        mark("live");
        await opts.liveSse.handle(req, res, url, commonHeaders(requestIdOf(req)));
        return;
      }
      res.setHeader("Cache-Control", "no-store");
      mark("trpc");
      const path = pathname.slice(trpcPrefix.length, pathname.endsWith("/") ? -1 : undefined);
      await trpc(req, res, path, url.searchParams);
      return;
    }
    if (opts.staticDir && readOnly) {
      mark("static");
      if (await serveStatic(opts.staticDir, pathname, req, res)) return;
    }
    mark("not_found");
    reply(res, 404, { message: "We couldn't find that." });
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = assignRequestId(req);
    // A live stream lives for hours: it sends these with its own headers in one writeHead rather
    // than keep a header map for its whole life (a map that lost entries is bigger still).
    if (!(opts.liveSse && req.method === "GET" && isLiveEventsUrl(req.url))) setCommonHeaders(res, requestId);
    inFlight.add(res);
    let routed: Route | "error" = "not_found";
    let procedures: string | undefined;
    res.once("close", () => {
      inFlight.delete(res);
      const ms = performance.now() - started;
      accessLog.info(
        {
          requestId,
          method: req.method,
          route: routed,
          procedures,
          status: res.statusCode,
          ms: Math.round(ms),
        },
        "request",
      );
      opts.observeRequest?.({
        route: routed,
        procedures: procedures?.split(",") ?? [],
        status: res.statusCode,
        seconds: ms / 1000,
      });
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      reply(res, 400, { message: "The request could not be understood." });
      return;
    }
    // Closures here live as long as the response (a live stream: hours): they keep the path, not the URL.
    const { pathname } = url;
    route(req, res, url, (r) => {
      routed = r;
      if (r === "trpc") procedures = loggableProcedures(pathname.slice(trpcPrefix.length));
    }).catch((error: unknown) => {
      routed = "error";
      logger.error({ requestId, ...loggableError(error) }, "request failed");
      if (!res.headersSent)
        reply(res, 500, { message: "Something went wrong on our side. Please try again." });
      else res.destroy();
    });
  });
  // An idle keep-alive connection is closed by the client or the load balancer in front (whose
  // idle timeouts run up to 60 s), never by this server first: a request sent on a connection the
  // server is closing at that moment fails with a reset. The headers of a request on it may take
  // as long as the connection may idle.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve({ host: address.address, port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      }),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        const grace = setTimeout(() => server.closeAllConnections(), opts.shutdownGraceMs ?? 10_000);
        grace.unref();
        server.close((error) => {
          clearTimeout(grace);
          if (error) reject(error);
          else resolve();
        });
        // Requests already running finish; their connections then close instead of idling.
        for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
