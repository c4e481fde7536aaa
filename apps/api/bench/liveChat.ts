import { call, keepAliveAgent, percentile, wallNow } from "./load";
import { openStream } from "./sse";

// A paced staff→patient chat for the figures that measure live delivery while other work runs
// (figures 5 and 6): sends through one API process, the patient's stream on another, and each
// message's time from its send's answer to its event on that stream.

/** Where the chat runs and who takes part. */
export interface LiveChatInput {
  /** The process the sends go through. */
  readonly sendUrl: string;
  /** The process the patient's stream is on. */
  readonly streamUrl: string;
  readonly origin: string;
  readonly senderCookie: string;
  readonly patientCookie: string;
  readonly conversationId: string;
  /** Messages per second. */
  readonly rate: number;
  /** Marks this figure's messages in the text, e.g. "f5". */
  readonly tag: string;
  readonly log: (line: string) => void;
}

/** What one stretch of the chat measured. */
export interface ChatStretch {
  /** Send answered → event on the stream, p99 (ms; infinite when a message never arrived). */
  readonly delivery: number;
  /** The send's own latency, p99 (ms). */
  readonly send: number;
  readonly count: number;
}

/** An open chat: run it for stretches, then close it. */
export interface LiveChat {
  /** Sends at the rate while `until()` holds, for at most `maxMs`; then waits for the events. */
  run(label: string, until: () => boolean, maxMs: number): Promise<ChatStretch>;
  close(): void;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Opens the patient's stream and waits until it is ready. */
export async function openLiveChat(input: LiveChatInput): Promise<LiveChat> {
  const agent = keepAliveAgent(256);
  const streamAgent = keepAliveAgent(1);
  const arrivals = new Map<string, number>();
  const pattern = new RegExp(`"text":"(${input.tag}-[^"]+?) `);
  let ready = false;
  const stream = openStream(
    streamAgent,
    new URL("/trpc/live.events", input.streamUrl),
    { cookie: input.patientCookie },
    (event) => {
      if (event.data.includes('"type":"ready"')) ready = true;
      const marker = pattern.exec(event.data)?.[1];
      if (marker) arrivals.set(marker, wallNow());
    },
    (why) => input.log(`   ${input.tag}: the patient's stream ended (${why})`),
  );
  for (let waited = 0; !ready && waited < 30_000; waited += 50) await sleep(50);
  const send = async (marker: string) => {
    const answer = await call(agent, new URL("/trpc/messages.send", input.sendUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin: input.origin, cookie: input.senderCookie },
      body: JSON.stringify({
        conversationId: input.conversationId,
        clientId: marker,
        text: `${marker} Are you open on Friday?`,
      }),
    });
    if (answer.status !== 200)
      throw new Error(`messages.send: ${answer.status} ${answer.body.slice(0, 200)}`);
  };
  return {
    async run(label, until, maxMs) {
      const acks = new Map<string, number>();
      const sends: number[] = [];
      const started = wallNow();
      const pending: Promise<void>[] = [];
      for (let n = 0; until() && wallNow() - started < maxMs; n++) {
        const marker = `${input.tag}-${label}-${n}`;
        pending.push(
          (async () => {
            const t0 = wallNow();
            await send(marker);
            const acked = wallNow();
            acks.set(marker, acked);
            sends.push(acked - t0);
          })(),
        );
        const next = started + ((n + 1) * 1000) / input.rate;
        await sleep(Math.max(0, next - wallNow()));
      }
      await Promise.all(pending);
      for (let waited = 0; waited < 10_000 && [...acks.keys()].some((m) => !arrivals.has(m)); waited += 50)
        await sleep(50);
      const delivery = [...acks]
        .map(([m, acked]) => (arrivals.get(m) ?? Number.POSITIVE_INFINITY) - acked)
        .sort((a, b) => a - b);
      sends.sort((a, b) => a - b);
      return { delivery: percentile(delivery, 99), send: percentile(sends, 99), count: acks.size };
    },
    close() {
      stream.close();
      agent.destroy();
      streamAgent.destroy();
    },
  };
}
