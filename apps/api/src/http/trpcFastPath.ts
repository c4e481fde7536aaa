import type { IncomingMessage, ServerResponse } from "node:http";
import { type AnyRouter, TRPCError } from "@trpc/server";
import {
  type AnyProcedure,
  emptyObject,
  getErrorShape,
  getHTTPStatusCode,
  getTRPCErrorFromUnknown,
  isAsyncIterable,
  isObject,
  isPromise,
  type ProcedureType,
  type TRPCResponse,
  transformTRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";

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

/** What {@link createTrpcFastPath} needs: the same things tRPC's node adapter is given. */
export interface TrpcFastPathOptions {
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
export type TrpcFastPath = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  searchParams: URLSearchParams,
) => Promise<void> | false;

interface Call {
  readonly index: number;
  readonly path: string;
  readonly procedure: AnyProcedure | null;
}

type CallOutcome = readonly [TRPCError, undefined] | readonly [undefined, { data: unknown }];

/** The method each procedure type accepts (tRPC's map without method override). */
const acceptedMethod: Readonly<Record<ProcedureType, string>> = {
  query: "GET",
  mutation: "POST",
  subscription: "GET",
};

const jsonl = "application/jsonl";
const jsonContentType = "application/json";
const textContentType = "text/plain;charset=UTF-8";

/** tRPC's `getAcceptHeader`, on node's headers. */
function acceptOf(req: IncomingMessage): string | null {
  const trpcAccept = req.headers["trpc-accept"];
  if (typeof trpcAccept === "string") return trpcAccept;
  const accept = req.headers.accept;
  return accept?.split(",").some((type) => type.trim() === jsonl) ? jsonl : null;
}

/** The media type of the request body, lower case, without parameters (tRPC's `hasContentType`). */
function mediaTypeOf(req: IncomingMessage): string | undefined {
  return req.headers["content-type"]?.toLowerCase().split(";", 1)[0]?.trim();
}

/** tRPC's `isDataStream`: values only its streaming links can carry. */
function isDataStream(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (isAsyncIterable(value)) return true;
  const values = Object.values(value);
  return values.some(isPromise) || values.some(isAsyncIterable);
}

const utf8Bom = [0xef, 0xbb, 0xbf] as const;

/**
 * The request body as text, as `Request.json()` would decode it (UTF-8, a leading BOM dropped).
 * Past `maxBytes` it stops reading and fails with PAYLOAD_TOO_LARGE, as tRPC's adapter does.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  if (req.readableEnded) {
    return Promise.reject(
      new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message:
          "The request body has already been read by another middleware. Assign the parsed body to `req.body` so tRPC can use it",
      }),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!maxBytes || size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      reject(new TRPCError({ code: "PAYLOAD_TOO_LARGE" }));
    };
    const onEnd = () => {
      cleanup();
      let body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      if (body[0] === utf8Bom[0] && body[1] === utf8Bom[1] && body[2] === utf8Bom[2]) body = body.subarray(3);
      resolve(body.toString("utf8"));
    };
    // The client went away before sending all of it: nobody is left to answer.
    const onGone = () => {
      cleanup();
      reject(new TRPCError({ code: "CLIENT_CLOSED_REQUEST" }));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onGone);
  });
}

/**
 * A fast path for tRPC's non-streaming calls over `node:http`: queries (GET) and mutations
 * (POST), single or batched (`?batch=1`), answered with one `res.end(body)` and a
 * Content-Length. It is tRPC's `resolveResponse` for JSON requests without the fetch `Request`
 * and `Response` objects and without chunked streaming: the same procedure lookup, method rules,
 * batch limit, lazy input parsing (query `input` or JSON body), context creation, error shapes
 * through the router's errorFormatter, `onError` calls, status codes (207 for mixed batches) and
 * wire format. Procedures are called exactly as tRPC calls them (their middlewares, input parsers,
 * error formatter). Anything else (subscriptions, JSONL streaming, form data, octet streams,
 * other methods, lazy routers) is declined untouched, for tRPC's own node adapter.
 */
export function createTrpcFastPath(opts: TrpcFastPathOptions): TrpcFastPath {
  const { router, onError, maxBodyBytes, maxBatchSize } = opts;
  const config = router._def._config;
  const deserialize = (value: unknown): unknown => config.transformer.input.deserialize(value);
  const procedures = router._def.procedures as Readonly<Record<string, AnyProcedure | undefined>>;
  const hasLazyParts = Object.keys(router._def.lazy ?? {}).length > 0;

  // tRPC labels its answer JSON once it has the calls' outcomes; an error about the whole request
  // before that goes out as a string body, which the fetch Response labels as text.
  const send = (res: ServerResponse, status: number, body: string, contentType: string) => {
    if (res.statusCode === 200) res.statusCode = status;
    res.setHeader("vary", "trpc-accept, accept");
    res.setHeader("content-type", contentType);
    res.setHeader("content-length", Buffer.byteLength(body));
    res.end(body);
  };

  /** An error about the whole request: one error object, never an array (tRPC's `caughtErrorToData`). */
  const sendRequestError = (
    req: IncomingMessage,
    res: ServerResponse,
    cause: unknown,
    ctx: unknown,
    type: ProcedureType | "unknown",
    contentType: string,
  ) => {
    const error = getTRPCErrorFromUnknown(cause);
    onError({ error, path: undefined, input: undefined, ctx, type, req });
    const item = {
      error: getErrorShape({ config, error, type, path: undefined, input: undefined, ctx }),
    } as TRPCResponse;
    send(res, getHTTPStatusCode(item), JSON.stringify(transformTRPCResponse(config, item)), contentType);
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    calls: readonly Call[],
    isBatchCall: boolean,
    type: ProcedureType | "unknown",
    searchParams: URLSearchParams,
  ): Promise<void> => {
    const method = req.method as "GET" | "POST";

    // The inputs, read and parsed once, only when a procedure asks for its input (tRPC's memo).
    let inputs: Record<number, unknown> | undefined;
    let loading: Promise<Record<number, unknown>> | null = null;
    const loadInputs = async (): Promise<Record<number, unknown>> => {
      let raw: unknown;
      if (method === "GET") {
        const queryInput = searchParams.get("input");
        if (queryInput) raw = JSON.parse(queryInput);
      } else raw = JSON.parse(await readBody(req, maxBodyBytes));
      if (raw === undefined) return emptyObject();
      const result: Record<number, unknown> = emptyObject();
      if (!isBatchCall) {
        result[0] = deserialize(raw);
        return result;
      }
      if (!isObject(raw)) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: '"input" needs to be an object when doing a batch call',
        });
      }
      for (let index = 0; index < calls.length; index++) {
        const input = raw[index];
        if (input !== undefined) result[index] = deserialize(input);
      }
      return result;
    };
    const readInputs = async (): Promise<Record<number, unknown>> => {
      if (inputs !== undefined) return inputs;
      loading ??= loadInputs().catch((cause: unknown) => {
        if (cause instanceof TRPCError) throw cause;
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: cause instanceof Error ? cause.message : "Invalid input",
          cause,
        });
      });
      inputs = await loading;
      loading = null;
      return inputs;
    };

    let ctx: unknown;
    let ctxError: TRPCError | undefined;
    try {
      ctx = await opts.createContext({ req, res });
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }

    const outcomes = calls.map(async ({ index, path, procedure }): Promise<CallOutcome> => {
      try {
        if (!procedure) {
          throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${path}"` });
        }
        const procedureType = procedure._def.type;
        if (acceptedMethod[procedureType] !== method) {
          throw new TRPCError({
            code: "METHOD_NOT_SUPPORTED",
            message: `Unsupported ${method}-request to ${procedureType} procedure at path "${path}"`,
          });
        }
        if (ctxError) throw ctxError;
        const data: unknown = await procedure({
          path,
          getRawInput: async () => (await readInputs())[index],
          ctx,
          type: procedureType,
          signal: undefined,
          batchIndex: index,
        });
        return [undefined, { data }];
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        onError({
          error,
          path,
          input: inputs?.[index],
          ctx,
          type: procedure?._def.type ?? "unknown",
          req,
        });
        return [error, undefined];
      }
    });

    const shapeOf = (call: Call, error: TRPCError, errorType: ProcedureType | "unknown") =>
      ({
        error: getErrorShape({
          config,
          ctx,
          error,
          input: inputs?.[call.index],
          path: call.path,
          type: errorType,
        }),
      }) as TRPCResponse;

    let contentType = textContentType;
    try {
      if (!isBatchCall) {
        const call = calls[0] as Call;
        const [error, result] = await (outcomes[0] as Promise<CallOutcome>);
        contentType = jsonContentType;
        if (result && isDataStream(result.data)) {
          throw new TRPCError({
            code: "UNSUPPORTED_MEDIA_TYPE",
            message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
          });
        }
        const item = error
          ? shapeOf(call, error, type)
          : ({ result: { data: result?.data } } as TRPCResponse);
        const status = getHTTPStatusCode([item]);
        send(res, status, JSON.stringify(transformTRPCResponse(config, item)), contentType);
        return;
      }
      contentType = jsonContentType;
      const items = (await Promise.all(outcomes)).map(([error, result], index): TRPCResponse => {
        const call = calls[index] as Call;
        const callType = call.procedure?._def.type ?? "unknown";
        if (error) return shapeOf(call, error, callType);
        if (isDataStream(result.data)) {
          const streamError = new TRPCError({
            code: "UNSUPPORTED_MEDIA_TYPE",
            message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
          });
          return shapeOf(call, streamError, callType);
        }
        return { result: { data: result.data } } as TRPCResponse;
      });
      const status = getHTTPStatusCode(items);
      send(res, status, JSON.stringify(transformTRPCResponse(config, items)), contentType);
    } catch (cause) {
      sendRequestError(req, res, cause, ctx, type, contentType);
    }
  };

  return (req, res, rawPath, searchParams) => {
    const method = req.method;
    if (method !== "GET" && method !== "POST") return false;
    if (hasLazyParts || acceptOf(req) === jsonl) return false;
    const mediaType = mediaTypeOf(req);
    if (mediaType !== "application/json") {
      // tRPC reads GETs as JSON whatever they say; other bodies are its own business.
      if (
        method === "POST" ||
        mediaType === "multipart/form-data" ||
        mediaType === "application/octet-stream"
      )
        return false;
    }

    // tRPC's getRequestInfo: errors here are about the whole request, before any context.
    let calls: Call[];
    let isBatchCall: boolean;
    let type: ProcedureType | "unknown" = "unknown";
    try {
      let path: string;
      try {
        path = decodeURIComponent(rawPath);
      } catch (cause) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `Invalid URL-encoding in path "${rawPath}"`,
          cause,
        });
      }
      isBatchCall = searchParams.get("batch") === "1";
      const paths = isBatchCall ? path.split(",") : [path];
      if (isBatchCall && paths.length > maxBatchSize) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Batch call exceeds maximum size" });
      }
      calls = paths.map((callPath, index) => ({
        index,
        path: callPath,
        procedure: procedures[callPath] ?? null,
      }));
      const types = new Set<ProcedureType>();
      for (const call of calls) if (call.procedure) types.add(call.procedure._def.type);
      if (types.size > 1) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `Cannot mix procedure types in call: ${[...types].join(", ")}`,
        });
      }
      type = types.values().next().value ?? "unknown";
    } catch (cause) {
      sendRequestError(req, res, cause, undefined, "unknown", textContentType);
      return Promise.resolve();
    }
    if (type === "subscription") return false;
    return handle(req, res, calls, isBatchCall, type, searchParams).catch((cause: unknown) => {
      // Only a bug of ours lands here; answer as tRPC's adapter does with its own.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendRequestError(req, res, cause, undefined, "unknown", jsonContentType);
    });
  };
}
