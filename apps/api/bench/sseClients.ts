import { Agent } from "node:http";
import { wallNow } from "./load";
import { type OpenStream, openStream } from "./sse";

// The many-streams client, in a process of its own so its memory is not the server's: opens
// `count` event streams (each its own connection), reports when they are all caught up, then
// when every one of them has received the event carrying a marker. Driven over IPC.

/** Parent → child. */
export type ClientCommand =
  | {
      readonly type: "open";
      readonly url: string;
      /** Stream i sends `headers[i % headers.length]`. */
      readonly headers: readonly Record<string, string>[];
      readonly count: number;
      /** Most streams connecting at once. */
      readonly concurrency: number;
      /** A stream is open once an event's data contains this. */
      readonly readyText: string;
      readonly timeoutMs: number;
    }
  | { readonly type: "expect"; readonly marker: string; readonly timeoutMs: number }
  | { readonly type: "close" };

/** Child → parent. */
export type ClientReport =
  | {
      readonly type: "opened";
      readonly open: number;
      readonly failed: number;
      readonly reasons: readonly string[];
      readonly seconds: number;
    }
  | {
      readonly type: "received";
      readonly count: number;
      readonly firstAt: number;
      readonly lastAt: number;
      /** Streams that ended (or were refused) since they opened. */
      readonly lost: number;
    };

interface Stream {
  handle: OpenStream | null;
  ready: boolean;
  ended: boolean;
  gotAt: number;
}

const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const streams: Stream[] = [];
let marker: string | null = null;
let received = 0;
let firstAt = 0;
let lastAt = 0;
let lost = 0;
let onChange: (() => void) | null = null;
const reasons: string[] = [];

function send(report: ClientReport): void {
  process.send?.(report);
}

async function open(command: Extract<ClientCommand, { type: "open" }>): Promise<void> {
  const started = wallNow();
  const deadline = started + command.timeoutMs;
  let connecting = 0;
  let failed = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (connecting < command.concurrency && next < command.count && wallNow() < deadline) {
        const index = next++;
        const stream: Stream = { handle: null, ready: false, ended: false, gotAt: 0 };
        streams.push(stream);
        connecting++;
        stream.handle = openStream(
          agent,
          new URL(command.url),
          command.headers[index % command.headers.length] ?? {},
          (event) => {
            if (!stream.ready) {
              if (!event.data.includes(command.readyText)) return;
              stream.ready = true;
              connecting--;
              pump();
              return;
            }
            if (marker !== null && stream.gotAt === 0 && event.data.includes(marker)) {
              const now = wallNow();
              stream.gotAt = now;
              received++;
              if (firstAt === 0) firstAt = now;
              lastAt = now;
              onChange?.();
            }
          },
          (why) => {
            stream.ended = true;
            if (!stream.ready) {
              connecting--;
              failed++;
              if (reasons.length < 5) reasons.push(why);
              pump();
            } else {
              lost++;
              onChange?.();
            }
          },
        );
      }
      if ((connecting === 0 && next >= command.count) || wallNow() >= deadline) resolve();
    };
    pump();
    const timer = setInterval(() => {
      if (wallNow() >= deadline) {
        clearInterval(timer);
        resolve();
      }
    }, 250);
    timer.unref();
  });
  send({
    type: "opened",
    open: streams.filter((s) => s.ready && !s.ended).length,
    failed,
    reasons,
    seconds: (wallNow() - started) / 1000,
  });
}

async function expect(command: Extract<ClientCommand, { type: "expect" }>): Promise<void> {
  marker = command.marker;
  const waiting = streams.filter((s) => s.ready && !s.ended).length;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, command.timeoutMs);
    onChange = () => {
      if (received + lost >= waiting) {
        clearTimeout(timer);
        resolve();
      }
    };
    onChange();
  });
  onChange = null;
  send({ type: "received", count: received, firstAt, lastAt, lost });
}

process.on("message", (message: ClientCommand) => {
  if (message.type === "open") void open(message);
  else if (message.type === "expect") void expect(message);
  else if (message.type === "close") {
    for (const stream of streams) stream.handle?.close();
    process.exit(0);
  }
});
process.on("disconnect", () => process.exit(0));
