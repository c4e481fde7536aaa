import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AnyProcedure,
  type AnyRouter,
  callTRPCProcedure,
  getErrorShape,
  getTRPCErrorFromUnknown,
  type ProcedureType,
  TRPCError,
  transformTRPCResponse,
} from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { TRPCResponse } from "@trpc/server/rpc";
import { isPlainObject, parseRpcCalls, type RpcCall, RpcInputs, type RpcRequest } from "./trpcRpcInput";

/** What tRPC's `onError` receives, as the node adapter passes it (with the node request). */
export interface TrpcErrorEvent {
  readonly error: TRPCError;
  /** The procedure's path; undefined for errors about the whole request (bad batch, bad path). */
  readonly path: string | undefined;
  readonly type: ProcedureType | "unknown";
  readonly input: unknown;
  readonly ctx: unknown;
  readonly req: IncomingMessage;
}

/** What {@link createTrpcRpc} needs: what tRPC's node adapter is given. */
export interface TrpcRpcOptions {
  readonly router: AnyRouter;
  readonly createContext: (opts: { req: IncomingMessage; res: ServerResponse }) => Promise<unknown>;
  /** Largest request body read, in bytes (0: no limit); beyond it, PAYLOAD_TOO_LARGE. */
  readonly maxBodyBytes: number;
  readonly maxBatchSize: number;
  readonly onError: (event: TrpcErrorEvent) => void;
}

/**
 * Answers one tRPC request at `path` (what follows `/trpc/`, not yet decoded), or returns false
 * without having read or written anything, for the caller to hand it to tRPC's node adapter.
 */
export type TrpcRpc = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  searchParams: URLSearchParams,
) => Promise<void> | false;

type CallOutcome = readonly [TRPCError, undefined] | readonly [undefined, { data: unknown }];

/** The HTTP method of each procedure type (no method override). */
const acceptedMethod: Readonly<Record<ProcedureType, string>> = {
  query: "GET",
  mutation: "POST",
  subscription: "GET",
};

/** The media type tRPC's streaming links ask for (`httpBatchStreamLink`). */
const jsonl = "application/jsonl";

function wantsJsonl(req: IncomingMessage): boolean {
  const trpcAccept = req.headers["trpc-accept"];
  if (typeof trpcAccept === "string") return trpcAccept === jsonl;
  return req.headers.accept?.split(",").some((type) => type.trim() === jsonl) ?? false;
}

/** The media type of the request body, lower case, without parameters. */
function mediaTypeOf(req: IncomingMessage): string | undefined {
  return req.headers["content-type"]?.toLowerCase().split(";", 1)[0]?.trim();
}

function isAsyncIterable(value: unknown): boolean {
  return typeof value === "object" && value !== null && Symbol.asyncIterator in value;
}

/** Values only a streaming link can carry: iterables, or promises and iterables inside an object. */
function isDataStream(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  return Object.values(value).some((v) => v instanceof Promise || isAsyncIterable(v));
}

function streamLikeError(): TRPCError {
  return new TRPCError({
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
  });
}

// Per request, this file creates no named closures: under tsx, esbuild's keepNames gives every
// named function a `name` property with Object.defineProperty each time it is created, which
// costs more than the function itself. Per-request state lives in objects and module functions.

/** What one request's calls share. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly router: AnyRouter;
  readonly inputs: RpcInputs;
  readonly ctx: unknown;
  readonly ctxError: TRPCError | undefined;
  readonly onError: (event: TrpcErrorEvent) => void;
}

/** One call: the procedure's existence, its method and the context, then the procedure itself. */
async function runCall(exchange: Exchange, call: RpcCall): Promise<CallOutcome> {
  const { procedure, path, index } = call;
  try {
    if (!procedure)
      throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${path}"` });
    const type = procedure._def.type;
    if (acceptedMethod[type] !== exchange.req.method) {
      throw new TRPCError({
        code: "METHOD_NOT_SUPPORTED",
        message: `Unsupported ${exchange.req.method}-request to ${type} procedure at path "${path}"`,
      });
    }
    if (exchange.ctxError) throw exchange.ctxError;
    const data: unknown = await callTRPCProcedure({
      router: exchange.router,
      path,
      getRawInput: exchange.inputs.rawInputOf(index),
      ctx: exchange.ctx,
      type,
      signal: undefined,
      batchIndex: index,
    });
    return [undefined, { data }];
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    exchange.onError({
      error,
      path,
      input: exchange.inputs.result(index),
      ctx: exchange.ctx,
      type: procedure?._def.type ?? "unknown",
      req: exchange.req,
    });
    return [error, undefined];
  }
}

/**
 * tRPC's HTTP RPC protocol (https://trpc.io/docs/rpc) for JSON queries (GET) and mutations
 * (POST), single or batched (`?batch=1`), answered with one `res.end(body)` and a Content-Length:
 * no fetch `Request`/`Response` and no chunked stream, which are most of what a request costs
 * in tRPC's node adapter. Procedures run through `callTRPCProcedure` (their middlewares and input
 * parsers); errors take the router's errorFormatter shape (`getErrorShape`) and their HTTP status
 * (`getHTTPStatusCode`: 207 for a batch of mixed outcomes), and go to `onError`. Anything else
 * (subscriptions, JSONL streaming, form data, octet streams, other methods, lazy routers) is
 * declined untouched, for tRPC's node adapter.
 */
export function createTrpcRpc(opts: TrpcRpcOptions): TrpcRpc {
  const { router, onError, maxBodyBytes, maxBatchSize } = opts;
  const config = router._def._config;
  const procedures = router._def.procedures as Readonly<Record<string, AnyProcedure | undefined>>;
  const hasLazyParts = Object.keys(router._def.lazy ?? {}).length > 0;
  // A transformer whose serialize hands back its argument (the default) needs no copy of the answer.
  const probe = {};
  const plainOutput = config.transformer.output.serialize(probe) === probe;
  const serialize = (answer: TRPCResponse | TRPCResponse[]): string =>
    JSON.stringify(plainOutput ? answer : transformTRPCResponse(config, answer));

  const errorItem = (
    error: TRPCError,
    call: RpcCall | undefined,
    type: ProcedureType | "unknown",
    exchange: Exchange | undefined,
  ): TRPCResponse => ({
    error: getErrorShape({
      config,
      ctx: exchange?.ctx,
      error,
      input: call && exchange ? exchange.inputs.result(call.index) : undefined,
      path: call?.path,
      type,
    }),
  });

  const send = (res: ServerResponse, status: number, body: string): void => {
    if (res.statusCode === 200) res.statusCode = status;
    res.setHeader("vary", "trpc-accept, accept");
    res.setHeader("content-type", "application/json");
    res.setHeader("content-length", Buffer.byteLength(body));
    res.end(body);
  };

  /** An error about the whole request: one error object, never an array. */
  const sendRequestError = (
    req: IncomingMessage,
    res: ServerResponse,
    cause: unknown,
    exchange: Exchange | undefined,
    type: ProcedureType | "unknown",
  ): void => {
    const error = getTRPCErrorFromUnknown(cause);
    onError({ error, path: undefined, input: undefined, ctx: exchange?.ctx, type, req });
    const item = errorItem(error, undefined, type, exchange);
    send(res, getHTTPStatusCode(item), serialize(item));
  };

  const answer = async (
    req: IncomingMessage,
    res: ServerResponse,
    request: RpcRequest,
    searchParams: URLSearchParams,
  ): Promise<void> => {
    let ctx: unknown;
    let ctxError: TRPCError | undefined;
    try {
      ctx = await opts.createContext({ req, res });
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }
    const inputs = new RpcInputs(req, searchParams, request, maxBodyBytes, config);
    const exchange: Exchange = { req, router, inputs, ctx, ctxError, onError };
    const { calls, type } = request;
    try {
      if (!request.isBatch) {
        const call = calls[0] as RpcCall;
        const [error, result] = await runCall(exchange, call);
        if (result && isDataStream(result.data)) throw streamLikeError();
        const item: TRPCResponse = error ? errorItem(error, call, type, exchange) : { result: result! };
        send(res, getHTTPStatusCode(item), serialize(item));
        return;
      }
      const results = await Promise.all(calls.map((call) => runCall(exchange, call)));
      const items: TRPCResponse[] = [];
      for (let index = 0; index < results.length; index++) {
        const [error, result] = results[index] as CallOutcome;
        const call = calls[index] as RpcCall;
        const callType = call.procedure?._def.type ?? "unknown";
        if (error) items.push(errorItem(error, call, callType, exchange));
        else if (isDataStream(result.data))
          items.push(errorItem(streamLikeError(), call, callType, exchange));
        else items.push({ result });
      }
      send(res, getHTTPStatusCode(items), serialize(items));
    } catch (cause) {
      sendRequestError(req, res, cause, exchange, type);
    }
  };

  return (req, res, rawPath, searchParams) => {
    const method = req.method;
    if (method !== "GET" && method !== "POST") return false;
    if (hasLazyParts || wantsJsonl(req)) return false;
    const mediaType = mediaTypeOf(req);
    // Queries carry no body, so their content type says nothing; other bodies are tRPC's business.
    if (
      mediaType !== "application/json" &&
      (method === "POST" || mediaType === "multipart/form-data" || mediaType === "application/octet-stream")
    )
      return false;
    let request: RpcRequest;
    try {
      request = parseRpcCalls(procedures, rawPath, searchParams, maxBatchSize);
    } catch (cause) {
      sendRequestError(req, res, cause, undefined, "unknown");
      return Promise.resolve();
    }
    if (request.type === "subscription") return false;
    return answer(req, res, request, searchParams).catch((cause: unknown) => {
      // Only a bug of ours lands here.
      if (res.headersSent) res.destroy();
      else sendRequestError(req, res, cause, undefined, "unknown");
    });
  };
}
