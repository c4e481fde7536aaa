import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "@clinic-chat/domain";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import type { Logger } from "pino";
import { AuthError } from "../auth/AuthError";
import { loggableError } from "../errors";
import { appRouter } from "../router";
import type { Context } from "../trpc";
import { requestIdOf } from "./requestMeta";
import { createTrpcRpc, type TrpcErrorEvent } from "./trpcRpc";

// Only names of the router's own procedures reach a log line; any other path is the caller's text.
const knownProcedures: ReadonlySet<string> = new Set(Object.keys(appRouter._def.procedures));
// Enough for a page's worth of queries; more is a client bug or abuse.
const maxBatchSize = 20;

/** The procedure names of a `/trpc/` path (comma-separated in a batch) when all are ours, else undefined. */
export function loggableProcedures(names: string): string | undefined {
  if (knownProcedures.has(names)) return names;
  if (names.length > 1_000 || !names.includes(",")) return undefined;
  for (const name of names.split(",")) if (!knownProcedures.has(name)) return undefined;
  return names;
}

/** What {@link createTrpcRoute} needs. */
export interface TrpcRouteOptions {
  readonly createContext: (opts: { req: IncomingMessage; res: ServerResponse }) => Promise<Context>;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
}

/** Answers a request under `/trpc/`; `path` is what follows the prefix, not yet decoded. */
export type TrpcRoute = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  searchParams: URLSearchParams,
) => Promise<void>;

/**
 * The app router over HTTP: JSON queries and mutations through {@link createTrpcRpc}, everything
 * it declines (subscriptions, JSONL streaming, other content types) through tRPC's node adapter.
 * Refusals are logged with their codes, failures with the error's type and frames, never a message
 * or an input (SEC-5).
 */
export function createTrpcRoute(opts: TrpcRouteOptions): TrpcRoute {
  const { logger, createContext, maxBodyBytes } = opts;
  const onError = ({ error, path, req }: Pick<TrpcErrorEvent, "error" | "path" | "req">) => {
    const entry = {
      requestId: requestIdOf(req),
      procedure: path !== undefined && knownProcedures.has(path) ? path : undefined,
      code: error.code,
    };
    const refusal = error.cause instanceof DomainError || error.cause instanceof AuthError;
    if (error.code === "INTERNAL_SERVER_ERROR") {
      logger.error({ ...entry, ...loggableError(error.cause ?? error) }, "procedure failed");
    } else if (error.code === "SERVICE_UNAVAILABLE" && !refusal) {
      logger.warn({ ...entry, ...loggableError(error.cause ?? error) }, "procedure unavailable");
    } else {
      const domainCode =
        error.cause instanceof DomainError || error.cause instanceof AuthError ? error.cause.code : undefined;
      logger.info({ ...entry, domainCode }, "procedure refused");
    }
  };
  const rpc = createTrpcRpc({ router: appRouter, createContext, maxBodyBytes, maxBatchSize, onError });
  return (req, res, path, searchParams) => {
    const answered = rpc(req, res, path, searchParams);
    if (answered !== false) return answered;
    return nodeHTTPRequestHandler({
      router: appRouter,
      req,
      res,
      path,
      createContext,
      maxBodySize: maxBodyBytes,
      maxBatchSize,
      onError,
    });
  };
}
