import { Agent } from "node:http";
import { call } from "../../../bench/load";
import { type BenchSignIn, benchPassword } from "../../../bench/seed";
import { type OpenStream, openStream } from "../../../bench/sse";
import { totpCode } from "../../../src/auth/totp";

/** What one call of a procedure answered: its data, or its tRPC error code (or a transport failure). */
export type Outcome =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly code: string; readonly httpStatus: number; readonly message: string };

function outcomeOf(status: number, body: string): Outcome {
  try {
    const parsed = JSON.parse(body) as {
      result?: { data: unknown };
      error?: { message: string; data: { code: string } };
    };
    if (parsed.result) return { ok: true, data: parsed.result.data };
    if (parsed.error)
      return { ok: false, code: parsed.error.data.code, httpStatus: status, message: parsed.error.message };
  } catch {
    // not JSON: a proxy or a dying process
  }
  return { ok: false, code: `HTTP ${status}`, httpStatus: status, message: body.slice(0, 200) };
}

/** Signs a person in through auth.signIn (password, and a TOTP code for staff); the Cookie header. */
export async function signIn(url: string, person: BenchSignIn, origin: string): Promise<string> {
  const agent = new Agent({ keepAlive: false });
  const answer = await call(agent, new URL("/trpc/auth.signIn", url), {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({
      audience: person.kind,
      email: person.email,
      password: benchPassword,
      ...(person.totpSecret ? { code: totpCode(person.totpSecret, new Date()) } : {}),
    }),
  });
  const setCookie = answer.headers["set-cookie"];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (answer.status !== 200 || !first) throw new Error(`sign-in failed: ${answer.status}`);
  return first.split(";")[0]!;
}

/** A message as the live stream delivers it: its tracked id and the message's fields the tests read. */
export interface StreamedMessage {
  readonly eventId: string;
  readonly messageId: string;
  readonly clientId: string;
}

/**
 * A signed-in client of one API process, over keep-alive HTTP as a browser tab: mutations over
 * POST, the live stream over SSE. `url` may change, as a tab's does behind a load balancer.
 */
export class ApiClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    public url: string,
    readonly cookie: string,
    private readonly origin: string,
  ) {}

  /** Calls a mutation; a transport failure (connection refused or reset) becomes code "NETWORK". */
  async mutate(path: string, input: unknown, timeoutMs = 20_000): Promise<Outcome> {
    try {
      const answer = await call(this.agent, new URL(`/trpc/${path}`, this.url), {
        method: "POST",
        headers: { "content-type": "application/json", origin: this.origin, cookie: this.cookie },
        body: JSON.stringify(input),
        timeoutMs,
      });
      return outcomeOf(answer.status, answer.body);
    } catch (error) {
      return { ok: false, code: "NETWORK", httpStatus: 0, message: (error as Error).message };
    }
  }

  /**
   * Opens the live stream (resuming after `lastEventId` as the browser's EventSource does with
   * Last-Event-ID) and hands each posted message to `onMessage`; `onEnd` once it ends.
   */
  stream(
    lastEventId: string | null,
    handlers: {
      onMessage(message: StreamedMessage): void;
      onReady?(): void;
      /** Every tracked id, as EventSource keeps the last one for Last-Event-ID. */
      onId?(id: string): void;
      /** Why: `error <tRPC code>` for an error frame, else how the response ended. */
      onEnd(why: string): void;
      /** Any frame at all, pings included: the stream is heard. */
      onHeard?(): void;
    },
  ): OpenStream {
    return openStream(
      this.agent,
      new URL("/trpc/live.events", this.url),
      { cookie: this.cookie, ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
      (event) => {
        handlers.onHeard?.();
        if (event.event === "serialized-error") {
          const shape = JSON.parse(event.data) as { data?: { code?: string } };
          handlers.onEnd(`error ${shape.data?.code ?? "(no code)"}`);
          return;
        }
        if (event.event !== "message") return;
        if (event.id) handlers.onId?.(event.id);
        const data = JSON.parse(event.data) as {
          type: string;
          message?: { id: string; clientId: string };
        };
        if (data.type === "ready") handlers.onReady?.();
        if (data.type === "message.posted" && data.message && event.id)
          handlers.onMessage({
            eventId: event.id,
            messageId: data.message.id,
            clientId: data.message.clientId,
          });
      },
      handlers.onEnd,
    );
  }

  close(): void {
    this.agent.destroy();
  }
}
