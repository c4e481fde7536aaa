import type { IncomingMessage, ServerResponse } from "node:http";
import { TRPCError } from "@trpc/server";
import type { SessionResolver } from "../auth/session";
import { loggableError } from "../errors";
import { type ClientAddress, requestIdOf, socketAddress } from "../http/requestMeta";
import type { LiveSseHandler } from "../http/serverOptions";
import type { LiveService } from "./createLiveService";
import type { LiveApi } from "./liveDecide";
import type { LiveHubOptions } from "./liveHubOptions";
import { errorFrame, errorShape, headerBlock, parseLiveInput, sseHeaders, streamFailure } from "./liveWire";

/**
 * Node keeps a response's header block (`_header`, read by `headersSent`) for the response's whole
 * life, built by concatenation: a tree of some 60 string pieces for our dozen headers, about
 * 2 KiB per open stream. Reading it once flattens it in place into one string of ~0.8 KiB; its
 * value does not change. A no-op if Node ever stops keeping it.
 */
function flattenSentHeader(res: ServerResponse): void {
  const header = (res as unknown as { _header?: unknown })._header;
  if (typeof header === "string") header.indexOf("\0");
}

/** What {@link createLiveSse} needs. */
export interface LiveSseOptions {
  readonly live: LiveService;
  /** The use cases and unit of work (`ApiDeps`): new messages are read through them as each person. */
  readonly api: LiveApi;
  /** The same resolver as the tRPC context's: cookie, idle and absolute timeouts (SEC-1, SEC-2). */
  readonly sessionResolver: SessionResolver;
  readonly logger: NonNullable<LiveHubOptions["logger"]>;
  /** Where a request came from, as the tRPC context reads it (default: the socket's peer). */
  readonly clientAddress?: ClientAddress;
}

/**
 * The `live.events` subscription's HTTP endpoint, written by hand (`GET /trpc/live.events`): the
 * same wire format as tRPC's SSE (see `liveWire.ts`), so `httpSubscriptionLink` reads it unchanged,
 * and the same gates as `authedProcedure` with the procedure's input schema: no session is
 * UNAUTHORIZED (before the input is read), invalid input is BAD_REQUEST naming the fields only.
 * The request's promise resolves as soon as the stream is open; the stream lives on in the hub.
 */
export function createLiveSse(options: LiveSseOptions): LiveSseHandler {
  const { live, api, logger } = options;
  const clientAddress = options.clientAddress ?? socketAddress;

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    headers: readonly (readonly [string, string])[],
    error: TRPCError,
  ) => {
    const entry = { requestId: requestIdOf(req), procedure: "live.events", code: error.code };
    if (error.code === "INTERNAL_SERVER_ERROR")
      logger.error({ ...entry, ...loggableError(error.cause ?? error) }, "procedure failed");
    else if (error.code === "SERVICE_UNAVAILABLE")
      logger.warn({ ...entry, ...loggableError(error.cause ?? error) }, "procedure unavailable");
    else logger.info(entry, "procedure refused");
    if (res.destroyed) return;
    res.writeHead(200, headerBlock(headers, sseHeaders));
    res.end(live.connectedFrame + errorFrame(error));
  };

  return {
    async handle(req, res, url, headers) {
      if (url.searchParams.get("batch") === "1") {
        // As tRPC answers a batched subscription: refused as a whole, in JSON.
        const error = new TRPCError({ code: "BAD_REQUEST", message: "Cannot batch subscription calls" });
        logger.info(
          { requestId: requestIdOf(req), procedure: "live.events", code: error.code },
          "procedure refused",
        );
        res.writeHead(
          400,
          headerBlock(headers, { "Content-Type": "application/json", Vary: "trpc-accept, accept" }),
        );
        res.end(JSON.stringify([{ error: errorShape(error) }]));
        return;
      }
      let session: Awaited<ReturnType<SessionResolver["resolve"]>>;
      try {
        session = await options.sessionResolver.resolve(req);
      } catch (cause) {
        refuse(req, res, headers, streamFailure(cause));
        return;
      }
      if (!session) {
        refuse(req, res, headers, new TRPCError({ code: "UNAUTHORIZED" }));
        return;
      }
      let lastEventId: number | null;
      try {
        lastEventId = parseLiveInput(url, req.headers["last-event-id"]);
      } catch (error) {
        refuse(
          req,
          res,
          headers,
          error instanceof TRPCError ? error : new TRPCError({ code: "BAD_REQUEST" }),
        );
        return;
      }
      if (res.destroyed) return;
      res.writeHead(200, headerBlock(headers, sseHeaders));
      res.write(live.connectedFrame);
      flattenSentHeader(res);
      // Not awaited: the request's handling ends here, the stream is the hub's.
      void live
        .open(
          {
            api,
            session,
            actor: { clinicId: session.clinicId, person: session.person, ip: clientAddress(req) },
            credentials: { cookieHeader: req.headers.cookie ?? null },
            lastEventId,
          },
          res,
        )
        .catch((error: unknown) => {
          const failure = streamFailure(error);
          const entry = { requestId: requestIdOf(req), procedure: "live.events", ...loggableError(error) };
          if (failure.code === "SERVICE_UNAVAILABLE") logger.warn(entry, "procedure unavailable");
          else logger.error(entry, "procedure failed");
          if (!res.destroyed) res.end(errorFrame(failure));
        });
    },
  };
}
