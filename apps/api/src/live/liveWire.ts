import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { describeError, unavailableError } from "../errors";
import type { LiveEvent } from "./LiveEvent";
import { liveInput } from "./liveRouter";

// The text/event-stream that tRPC v11's `httpSubscriptionLink` reads (the web app's client), written
// by hand. What the client expects, as tRPC's own SSE producer writes it under this app's
// configuration (no transformer), with its ping and client options when a heartbeat is set:
//
//   event: connected\ndata: {"reconnectAfterInactivityMs":2N}\n\n\n   first, once ({} without heartbeat)
//   data: <JSON of the event>\nid: <tracked id>\n\n\n     every event (all are tracked)
//   event: ping\ndata: \n\n\n                         every N (the heartbeat), between frames
//   event: serialized-error\ndata: <error shape>\n\n\n    last, then the response ends
//
// Each frame ends with a blank line and one more empty line, as tRPC writes them (the extra line
// dispatches nothing). The error shape is what the app's errorFormatter makes of a TRPCError:
// `{ code: <JSON-RPC number>, message, data }` with `describeError`'s message and data (SEC-5).
// The client retries by itself (reconnecting with `Last-Event-ID`) on SERVICE_UNAVAILABLE,
// INTERNAL_SERVER_ERROR, BAD_GATEWAY and GATEWAY_TIMEOUT; any other code ends its subscription
// with a TRPCClientError of that code (UNAUTHORIZED: the app signs the person out). With
// `reconnectAfterInactivityMs` the client also drops a stream that said nothing (not even a ping)
// for that long and opens it again with its last tracked id: a link cut without a reset (a dead
// machine, a partition) reads as silence, never as an end. A ping is an event, not an SSE comment,
// because EventSource hands comments to nobody, so a client could not tell them from silence.

/** The response headers of a stream (tRPC's, plus its `Vary`). */
export const sseHeaders: Readonly<Record<string, string>> = {
  "Content-Type": "text/event-stream",
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
  Vary: "trpc-accept, accept",
};

/**
 * A flat header list for `writeHead`: the server's common headers, then `own`, which replace
 * common ones of the same name (as `writeHead`'s headers replace those set before).
 */
export function headerBlock(
  common: readonly (readonly [string, string])[],
  own: Readonly<Record<string, string>>,
): string[] {
  const replaced = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const block: string[] = [];
  for (const [name, value] of common) if (!replaced.has(name.toLowerCase())) block.push(name, value);
  for (const [name, value] of Object.entries(own)) block.push(name, value);
  return block;
}

/**
 * The first frame of every stream: the client's options. With a heartbeat every `heartbeatMs`,
 * the client reconnects after twice that without a frame; without one (null), none.
 */
export function connectedFrame(heartbeatMs: number | null): string {
  const options = heartbeatMs === null ? {} : { reconnectAfterInactivityMs: 2 * heartbeatMs };
  return `event: connected\ndata: ${JSON.stringify(options)}\n\n\n`;
}

/** The heartbeat frame, tRPC's ping: the client notes it and dispatches nothing. */
export const pingFrame = "event: ping\ndata: \n\n\n";

/**
 * One tracked event, made once for all the streams of a person: the value for an in-process
 * consumer, and its SSE text for an HTTP response.
 */
export interface LiveFrame {
  readonly id: number;
  readonly event: LiveEvent;
  readonly text: string;
  /** A passing signal (typing): not in the log, so its text carries no `id:` and moves no position. */
  readonly passing?: true;
}

export function dataFrame(id: number, event: LiveEvent): LiveFrame {
  return { id, event, text: `data: ${JSON.stringify(event)}\nid: ${id}\n\n\n` };
}

/**
 * A passing event (typing), the same for every stream: without an `id:` line, the client keeps
 * the last id it had (an EventSource's last event id stays until a frame sets another).
 */
export function passingFrame(event: LiveEvent): LiveFrame {
  return { id: 0, event, text: `data: ${JSON.stringify(event)}\n\n\n`, passing: true };
}

/** The error as the app's errorFormatter shapes it for the client. */
export function errorShape(error: TRPCError): { code: number; message: string; data: unknown } {
  const { message, data } = describeError(error, getHTTPStatusCodeFromError(error));
  return { code: TRPC_ERROR_CODES_BY_KEY[error.code], message, data };
}

/** The last frame of a stream that ends with an error. */
export function errorFrame(error: TRPCError): string {
  return `event: serialized-error\ndata: ${JSON.stringify(errorShape(error))}\n\n\n`;
}

/** A retryable end: the client reconnects (to this or another process) and resumes from its last id. */
export function reconnectError(): TRPCError {
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "reconnect" });
}

/**
 * How a stream ends after a failure that is no refusal: SERVICE_UNAVAILABLE when a server it
 * depends on is out of reach, as a procedure's answer would be; anything else is
 * INTERNAL_SERVER_ERROR. The client reconnects after either, with its last event id.
 */
export function streamFailure(error: unknown): TRPCError {
  if (error instanceof TRPCError) return error;
  return unavailableError(error) ?? new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: error });
}

/** The frame of {@link reconnectError}, the same for every stream. */
export const reconnectFrame = errorFrame(reconnectError());

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The stream's input as tRPC reads a subscription's: JSON in the `input` query parameter, with the
 * last event id of a reconnect (the `Last-Event-ID` header, else the `lastEventId` or
 * `Last-Event-Id` query parameter) merged into it, then validated by the procedure's own schema
 * (SEC-6). Throws a BAD_REQUEST TRPCError that names the offending fields, never their values.
 */
export function parseLiveInput(url: URL, lastEventIdHeader: string | string[] | undefined): number | null {
  const raw = url.searchParams.get("input");
  let input: unknown;
  if (raw) {
    try {
      input = JSON.parse(raw);
    } catch {
      throw new TRPCError({ code: "BAD_REQUEST", message: "input is not JSON" });
    }
  }
  const header = Array.isArray(lastEventIdHeader) ? lastEventIdHeader.join(", ") : lastEventIdHeader;
  const lastEventId = header ?? url.searchParams.get("lastEventId") ?? url.searchParams.get("Last-Event-Id");
  if (lastEventId) {
    if (isPlainObject(input)) input = { ...input, lastEventId };
    else if (input === undefined || input === null) input = { lastEventId };
  }
  const parsed = liveInput.events.safeParse(input);
  if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
  return parsed.data?.lastEventId ? Number(parsed.data.lastEventId) : null;
}
