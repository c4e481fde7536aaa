import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One text message as the provider received it. */
export interface ReceivedSms {
  readonly to: string;
  readonly from: string;
  readonly body: string;
  /** The whole request body as sent, to search for anything that should not be there. */
  readonly raw: string;
}

/** A local Twilio-compatible messages endpoint that records what it is asked to send. */
export interface SmsRecorder {
  readonly baseUrl: string;
  readonly received: ReceivedSms[];
  /** While on, every request is answered 503, as a provider outage. */
  setOutage(on: boolean): void;
  /** Requests answered 503 so far. */
  readonly rejected: number;
  to(number: string): ReceivedSms[];
  waitFor(predicate: (received: readonly ReceivedSms[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Starts a recording HTTP server on 127.0.0.1 speaking Twilio's Messages API. */
export async function startSmsRecorder(): Promise<SmsRecorder> {
  const received: ReceivedSms[] = [];
  const waiters: { predicate: (r: readonly ReceivedSms[]) => boolean; resolve: () => void }[] = [];
  let outage = false;
  let rejected = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (outage) {
        rejected++;
        response.writeHead(503, { "content-type": "application/json" });
        response.end(JSON.stringify({ code: 20503, message: "Service unavailable" }));
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      const form = new URLSearchParams(raw);
      received.push({
        to: form.get("To") ?? "",
        from: form.get("From") ?? "",
        body: form.get("Body") ?? "",
        raw,
      });
      response.writeHead(201, { "content-type": "application/json" });
      response.end(JSON.stringify({ sid: `SM${received.length}`, status: "queued" }));
      for (const waiter of [...waiters]) {
        if (waiter.predicate(received)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    setOutage(on) {
      outage = on;
    },
    get rejected() {
      return rejected;
    },
    to: (number) => received.filter((sms) => sms.to === number),
    waitFor(predicate) {
      if (predicate(received)) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ predicate, resolve }));
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
