import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { forkTs, origin, signInAll, sleep, waitForMessage } from "./benchProcesses";
import { call, keepAliveAgent } from "./load";
import type { BenchSignIn } from "./seed";
import type { ClientCommand, ClientReport } from "./sseClients";

// The soak's quiet streams: staff of a Team Chat that stays quiet, their streams held by client
// processes of their own, and the one message at the end that shows they all stayed open.

/** Opens `count` quiet streams on `url` with a client process of their own. */
export async function openQuietStreams(
  root: string,
  name: string,
  url: string,
  cookies: readonly string[],
  count: number,
) {
  const client = forkTs("sseClients.ts", {}, join(root, `${name}.log`));
  const opened = waitForMessage(
    client,
    (m) =>
      (m as ClientReport).type === "opened" ? (m as Extract<ClientReport, { type: "opened" }>) : undefined,
    600_000,
  );
  const open: ClientCommand = {
    type: "open",
    url: new URL("/trpc/live.events", url).toString(),
    headers: cookies.map((cookie) => ({ cookie })),
    count,
    concurrency: 100,
    readyText: '"type":"ready"',
    timeoutMs: 300_000,
  };
  client.send(open);
  return { client, opened: await opened };
}

/** The quiet streams' clients, as {@link openQuietStreams} answers them. */
export type QuietClients = readonly Awaited<ReturnType<typeof openQuietStreams>>[];

/** Sends one message to the quiet Team Chat through A and logs how many quiet streams received it. */
export async function closingMessage(
  quietClients: QuietClients,
  input: {
    readonly aUrl: string;
    readonly admin: BenchSignIn;
    readonly conversationId: string;
    readonly messageText: string;
    readonly log: (line: string) => void;
  },
): Promise<void> {
  const { aUrl, admin, conversationId, messageText, log } = input;
  // One message to the quiet Team Chat: every quiet stream still open receives it. The admin signs
  // in now: a session idle for the whole run has ended (idle sign-out).
  const [adminCookie] = await signInAll(aUrl, [admin]);
  for (const [i, q] of quietClients.entries()) {
    const marker = `soak-end-${randomBytes(4).toString("hex")}`;
    const received = waitForMessage(
      q.client,
      (m) =>
        (m as ClientReport).type === "received"
          ? (m as Extract<ClientReport, { type: "received" }>)
          : undefined,
      200_000,
    );
    q.client.send({ type: "expect", marker, timeoutMs: 120_000 } satisfies ClientCommand);
    await sleep(200);
    const closing = keepAliveAgent(1);
    const answer = await call(closing, new URL("/trpc/messages.send", aUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie: adminCookie! },
      body: JSON.stringify({
        conversationId,
        clientId: marker,
        text: `${marker} ${messageText}`,
      }),
    });
    closing.destroy();
    if (answer.status !== 200) throw new Error(`the closing message: ${answer.status}`);
    const r = await received;
    log(
      `quiet streams on ${i === 0 ? "A" : "B"} at the end: ${r.count} received the closing message, ${r.lost} had ended`,
    );
  }
}

/**
 * The people behind the soak's quiet streams read without writing, as staff with a tab open do:
 * the web app then reaches the server now and then (`auth.me`, its keep-alive on activity), which
 * slides the session's idle timer (SEC-2). Without it every quiet session would be signed out
 * after the clinic's idle timeout and its streams would end mid-soak. Every `everyMs`, each
 * session's keep-alive goes to the process its streams are on.
 */
export function keepReadersActive(
  sessions: readonly { readonly url: string; readonly cookie: string }[],
  everyMs: number,
): { stop(): { calls: number; failed: number } } {
  const agent = keepAliveAgent(8);
  let calls = 0;
  let failed = 0;
  const touch = async () => {
    for (const { url, cookie } of sessions) {
      calls++;
      const answer = await call(agent, new URL("/trpc/auth.me", url), { headers: { cookie } }).catch(
        () => null,
      );
      if (answer?.status !== 200) failed++;
    }
  };
  const timer = setInterval(() => void touch(), everyMs);
  return {
    stop() {
      clearInterval(timer);
      agent.destroy();
      return { calls, failed };
    },
  };
}
