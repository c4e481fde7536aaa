import type { IncomingMessage } from "node:http";
import { type AnyProcedure, type AnyRouter, type ProcedureType, TRPCError } from "@trpc/server";

// How tRPC's HTTP RPC protocol carries a request (https://trpc.io/docs/rpc): the procedure path
// after the prefix (comma-separated with `?batch=1`), a query's input as JSON in the `input` query
// parameter, a mutation's as the JSON body; a batch's input is an object keyed by call index.

/** One call of a request: its place in a batch, its path and the procedure there (null: none). */
export interface RpcCall {
  readonly index: number;
  readonly path: string;
  readonly procedure: AnyProcedure | null;
}

/** The calls of one request, all of one procedure type. */
export interface RpcRequest {
  readonly calls: readonly RpcCall[];
  readonly isBatch: boolean;
  /** The calls' procedure type; "unknown" when no call names a procedure. */
  readonly type: ProcedureType | "unknown";
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The calls named by a request's path. Errors here are about the whole request: a broken escape,
 * a batch over `maxBatchSize`, or calls of different procedure types.
 */
export function parseRpcCalls(
  procedures: Readonly<Record<string, AnyProcedure | undefined>>,
  rawPath: string,
  searchParams: URLSearchParams,
  maxBatchSize: number,
): RpcRequest {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch (cause) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Invalid URL-encoding in path "${rawPath}"`, cause });
  }
  const isBatch = searchParams.get("batch") === "1";
  const paths = isBatch ? path.split(",") : [path];
  if (isBatch && paths.length > maxBatchSize) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Batch call exceeds maximum size" });
  }
  const calls: RpcCall[] = [];
  const types = new Set<ProcedureType>();
  for (let index = 0; index < paths.length; index++) {
    const callPath = paths[index] as string;
    // Own keys only: "constructor" and its kind name no procedure.
    const procedure = Object.hasOwn(procedures, callPath) ? (procedures[callPath] ?? null) : null;
    calls.push({ index, path: callPath, procedure });
    if (procedure) types.add(procedure._def.type);
  }
  if (types.size > 1) {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Cannot mix procedure types in call: ${[...types].join(", ")}`,
    });
  }
  const [type = "unknown"] = types;
  return { calls, isBatch, type };
}

const utf8Bom = [0xef, 0xbb, 0xbf] as const;

/**
 * The request body as UTF-8 text, a leading byte order mark dropped. Past `maxBytes` it stops
 * collecting and fails with PAYLOAD_TOO_LARGE (node discards the rest once the response is sent).
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  if (req.readableEnded) {
    return Promise.reject(
      new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: "The request body was already read." }),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // The error is made only when it is the answer: every request closes after its body ended.
    const fail = (error: () => TRPCError) => {
      if (settled) return;
      settled = true;
      reject(error());
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (!maxBytes || size <= maxBytes) chunks.push(chunk);
      else fail(() => new TRPCError({ code: "PAYLOAD_TOO_LARGE" }));
    });
    req.on("end", () => {
      if (settled) return;
      settled = true;
      let body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      if (body[0] === utf8Bom[0] && body[1] === utf8Bom[1] && body[2] === utf8Bom[2]) body = body.subarray(3);
      resolve(body.toString("utf8"));
    });
    // The client went away before sending all of it: nobody is left to answer.
    const closed = () => new TRPCError({ code: "CLIENT_CLOSED_REQUEST" });
    req.on("error", () => fail(closed));
    req.on("close", () => fail(closed));
  });
}

/** Anything but a TRPCError while reading input is the caller's mistake: BAD_REQUEST. */
function asInputError(cause: unknown): never {
  if (cause instanceof TRPCError) throw cause;
  throw new TRPCError({
    code: "BAD_REQUEST",
    message: cause instanceof Error ? cause.message : "Invalid input",
    cause,
  });
}

/**
 * A request's inputs by call index, read and parsed once, when the first procedure asks for its
 * input (a procedure refused before that never makes the body be read).
 */
export class RpcInputs {
  private value: Record<number, unknown> | undefined;
  private loading: Promise<Record<number, unknown>> | null = null;

  constructor(
    private readonly req: IncomingMessage,
    private readonly searchParams: URLSearchParams,
    private readonly request: RpcRequest,
    private readonly maxBodyBytes: number,
    private readonly config: AnyRouter["_def"]["_config"],
  ) {}

  /** The input of call `index` once read, else undefined (for error shapes and onError). */
  result(index: number): unknown {
    return this.value?.[index];
  }

  /** The `getRawInput` of call `index` (an unnamed function: see `trpcRpc.ts` on closures). */
  rawInputOf(index: number): () => Promise<unknown> {
    return () => this.of(index);
  }

  /** The input of call `index`, read on first use. */
  private async of(index: number): Promise<unknown> {
    if (this.value === undefined) {
      this.loading ??= this.load().catch(asInputError);
      this.value = await this.loading;
    }
    return this.value[index];
  }

  private async load(): Promise<Record<number, unknown>> {
    let raw: unknown;
    if (this.req.method === "GET") {
      const queryInput = this.searchParams.get("input");
      if (queryInput) raw = JSON.parse(queryInput);
    } else raw = JSON.parse(await readBody(this.req, this.maxBodyBytes));
    const result: Record<number, unknown> = Object.create(null);
    if (raw === undefined) return result;
    const { deserialize } = this.config.transformer.input;
    if (!this.request.isBatch) {
      result[0] = deserialize(raw);
      return result;
    }
    if (!isPlainObject(raw)) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: '"input" needs to be an object when doing a batch call',
      });
    }
    for (let index = 0; index < this.request.calls.length; index++) {
      const input = raw[index];
      if (input !== undefined) result[index] = deserialize(input);
    }
    return result;
  }
}
