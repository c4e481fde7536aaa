import type { IncomingMessage, ServerResponse } from "node:http";
import { type AnyRouter, TRPCError } from "@trpc/server";
import {
  type AnyProcedure,
  defaultTransformer,
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

// Per request, this file creates no named closures: under tsx (how `npm start` runs), esbuild's
// keepNames gives every named function a `name` property with Object.defineProperty each time it
// is created, which costs more than the function itself. Per-request state lives in objects and
// module-level functions instead.

/**
 * The request body as text, as `Request.json()` would decode it (UTF-8, a leading BOM dropped).
 * Past `maxBytes` it stops collecting and fails with PAYLOAD_TOO_LARGE, as tRPC's adapter does
 * (node discards the rest once the response is sent).
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
    let settled = false;
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (!maxBytes || size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      settled = true;
      reject(new TRPCError({ code: "PAYLOAD_TOO_LARGE" }));
    });
    req.on("end", () => {
      if (settled) return;
      settled = true;
      let body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      if (body[0] === utf8Bom[0] && body[1] === utf8Bom[1] && body[2] === utf8Bom[2]) body = body.subarray(3);
      resolve(body.toString("utf8"));
    });
    // The client went away before sending all of it: nobody is left to answer.
    req.on("error", () => {
      if (settled) return;
      settled = true;
      reject(new TRPCError({ code: "CLIENT_CLOSED_REQUEST" }));
    });
    req.on("close", () => {
      if (settled) return;
      settled = true;
      reject(new TRPCError({ code: "CLIENT_CLOSED_REQUEST" }));
    });
  });
}

/** tRPC's memo around input reading: anything but a TRPCError becomes BAD_REQUEST. */
function asInputError(cause: unknown): never {
  if (cause instanceof TRPCError) throw cause;
  throw new TRPCError({
    code: "BAD_REQUEST",
    message: cause instanceof Error ? cause.message : "Invalid input",
    cause,
  });
}

/**
 * A request's inputs, by call index: read and parsed once, only when a procedure asks for its
 * input (tRPC's json content-type handler: query `input` for GET, the body otherwise).
 */
class CallInputs {
  private value: Record<number, unknown> | undefined;
  private loading: Promise<Record<number, unknown>> | null = null;

  constructor(
    private readonly req: IncomingMessage,
    private readonly searchParams: URLSearchParams,
    private readonly isBatchCall: boolean,
    private readonly callCount: number,
    private readonly maxBodyBytes: number,
    private readonly config: AnyRouter["_def"]["_config"],
  ) {}

  /** The input of call `index` once read, else undefined (for error shapes and onError). */
  result(index: number): unknown {
    return this.value?.[index];
  }

  /** The `getRawInput` of call `index`. */
  rawInputOf(index: number): () => Promise<unknown> {
    return () => this.read().then((inputs) => inputs[index]);
  }

  private async read(): Promise<Record<number, unknown>> {
    if (this.value !== undefined) return this.value;
    this.loading ??= this.load().catch(asInputError);
    this.value = await this.loading;
    this.loading = null;
    return this.value;
  }

  private async load(): Promise<Record<number, unknown>> {
    let raw: unknown;
    if (this.req.method === "GET") {
      const queryInput = this.searchParams.get("input");
      if (queryInput) raw = JSON.parse(queryInput);
    } else raw = JSON.parse(await readBody(this.req, this.maxBodyBytes));
    if (raw === undefined) return emptyObject();
    const { deserialize } = this.config.transformer.input;
    const result: Record<number, unknown> = emptyObject();
    if (!this.isBatchCall) {
      result[0] = deserialize(raw);
      return result;
    }
    if (!isObject(raw)) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: '"input" needs to be an object when doing a batch call',
      });
    }
    for (let index = 0; index < this.callCount; index++) {
      const input = raw[index];
      if (input !== undefined) result[index] = deserialize(input);
    }
    return result;
  }
}

/** What one request's calls share. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly method: "GET" | "POST";
  readonly inputs: CallInputs;
  readonly ctx: unknown;
  readonly ctxError: TRPCError | undefined;
  readonly onError: (event: TrpcErrorEvent) => void;
}

/** One call of the request, as resolveResponse runs it: checks, then the procedure itself. */
async function runCall(exchange: Exchange, call: Call): Promise<CallOutcome> {
  const { procedure, path, index } = call;
  try {
    if (!procedure) {
      throw new TRPCError({ code: "NOT_FOUND", message: `No procedure found on path "${path}"` });
    }
    const procedureType = procedure._def.type;
    if (acceptedMethod[procedureType] !== exchange.method) {
      throw new TRPCError({
        code: "METHOD_NOT_SUPPORTED",
        message: `Unsupported ${exchange.method}-request to ${procedureType} procedure at path "${path}"`,
      });
    }
    if (exchange.ctxError) throw exchange.ctxError;
    const data: unknown = await procedure({
      path,
      getRawInput: exchange.inputs.rawInputOf(index),
      ctx: exchange.ctx,
      type: procedureType,
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

function streamLikeError(): TRPCError {
  return new TRPCError({
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Cannot use stream-like response in non-streaming request - use httpBatchStreamLink",
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
  const procedures = router._def.procedures as Readonly<Record<string, AnyProcedure | undefined>>;
  const hasLazyParts = Object.keys(router._def.lazy ?? {}).length > 0;
  // Without a transformer, tRPC's transformTRPCResponse copies the answer into an equal one.
  const plainOutput = config.transformer.output.serialize === defaultTransformer.output.serialize;
  function serialize(answer: TRPCResponse | TRPCResponse[]): string {
    return JSON.stringify(plainOutput ? answer : transformTRPCResponse(config, answer));
  }

  function errorShape(
    error: TRPCError,
    call: Call | undefined,
    type: ProcedureType | "unknown",
    exchange: Exchange | undefined,
  ): TRPCResponse {
    return {
      error: getErrorShape({
        config,
        ctx: exchange?.ctx,
        error,
        input: call && exchange ? exchange.inputs.result(call.index) : undefined,
        path: call?.path,
        type,
      }),
    } as TRPCResponse;
  }

  // tRPC labels its answer JSON once it has the calls' outcomes; an error about the whole request
  // before that goes out as a string body, which the fetch Response labels as text.
  function send(res: ServerResponse, status: number, body: string, contentType: string): void {
    if (res.statusCode === 200) res.statusCode = status;
    res.setHeader("vary", "trpc-accept, accept");
    res.setHeader("content-type", contentType);
    res.setHeader("content-length", Buffer.byteLength(body));
    res.end(body);
  }

  /** An error about the whole request: one error object, never an array (tRPC's `caughtErrorToData`). */
  function sendRequestError(
    req: IncomingMessage,
    res: ServerResponse,
    cause: unknown,
    exchange: Exchange | undefined,
    type: ProcedureType | "unknown",
    contentType: string,
  ): void {
    const error = getTRPCErrorFromUnknown(cause);
    onError({ error, path: undefined, input: undefined, ctx: exchange?.ctx, type, req });
    const answer = errorShape(error, undefined, type, exchange);
    send(res, getHTTPStatusCode(answer), serialize(answer), contentType);
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    calls: readonly Call[],
    isBatchCall: boolean,
    type: ProcedureType | "unknown",
    searchParams: URLSearchParams,
  ): Promise<void> {
    let ctx: unknown;
    let ctxError: TRPCError | undefined;
    try {
      ctx = await opts.createContext({ req, res });
    } catch (cause) {
      ctxError = getTRPCErrorFromUnknown(cause);
    }
    const exchange: Exchange = {
      req,
      method: req.method as "GET" | "POST",
      inputs: new CallInputs(req, searchParams, isBatchCall, calls.length, maxBodyBytes, config),
      ctx,
      ctxError,
      onError,
    };

    let contentType = textContentType;
    try {
      if (!isBatchCall) {
        const call = calls[0] as Call;
        const [error, result] = await runCall(exchange, call);
        contentType = jsonContentType;
        if (result && isDataStream(result.data)) throw streamLikeError();
        if (error) {
          const item = errorShape(error, call, type, exchange);
          send(res, getHTTPStatusCode([item]), serialize(item), contentType);
        } else {
          send(res, 200, serialize({ result: { data: result?.data } } as TRPCResponse), contentType);
        }
        return;
      }
      const outcomes = calls.map((call) => runCall(exchange, call));
      contentType = jsonContentType;
      const results = await Promise.all(outcomes);
      const items: TRPCResponse[] = [];
      for (let index = 0; index < results.length; index++) {
        const [error, result] = results[index] as CallOutcome;
        const call = calls[index] as Call;
        const callType = call.procedure?._def.type ?? "unknown";
        if (error) items.push(errorShape(error, call, callType, exchange));
        else if (isDataStream(result.data))
          items.push(errorShape(streamLikeError(), call, callType, exchange));
        else items.push({ result: { data: result.data } } as TRPCResponse);
      }
      send(res, getHTTPStatusCode(items), serialize(items), contentType);
    } catch (cause) {
      sendRequestError(req, res, cause, exchange, type, contentType);
    }
  }

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
    const calls: Call[] = [];
    let isBatchCall = false;
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
      let mixed = false;
      for (let index = 0; index < paths.length; index++) {
        const callPath = paths[index] as string;
        const procedure = procedures[callPath] ?? null;
        calls.push({ index, path: callPath, procedure });
        if (!procedure) continue;
        if (type === "unknown") type = procedure._def.type;
        else if (procedure._def.type !== type) mixed = true;
      }
      if (mixed) {
        const types = new Set<ProcedureType>();
        for (const call of calls) if (call.procedure) types.add(call.procedure._def.type);
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `Cannot mix procedure types in call: ${[...types].join(", ")}`,
        });
      }
    } catch (cause) {
      sendRequestError(req, res, cause, undefined, "unknown", textContentType);
      return Promise.resolve();
    }
    if (type === "subscription") return false;
    return answer(req, res, calls, isBatchCall, type, searchParams).catch((cause: unknown) => {
      // Only a bug of ours lands here; answer as tRPC's adapter does with its own.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendRequestError(req, res, cause, undefined, "unknown", jsonContentType);
    });
  };
}
