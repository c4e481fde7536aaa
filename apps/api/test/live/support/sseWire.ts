import { request } from "node:http";
import { expect } from "vitest";
import { within } from "./liveCluster";

// Raw reads of the live stream, for tests of the SSE protocol itself.

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw GET of the stream, read until it ends or until its `ready` frame is complete. */
export function rawStream(url: string, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  return within(
    new Promise<RawAnswer>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        { headers: { accept: "text/event-stream", ...headers } },
        (res) => {
          let body = "";
          const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
            if (/data: \{"type":"ready"\}\nid: \d+\n\n\n$/.test(body)) {
              done();
              res.destroy();
            }
          });
          res.on("end", done);
        },
      );
      req.on("error", reject);
      req.end();
    }),
    `the stream at ${path}`,
  );
}

const connected = "event: connected\ndata: {}\n\n\n";

/** What a raw stream said: its frames after `connected`, read as httpSubscriptionLink reads them. */
export function framesOf(answer: RawAnswer): { event: string | null; data: unknown; id: string | null }[] {
  expect(answer.body.startsWith(connected), "the connected frame first").toBe(true);
  return answer.body
    .slice(connected.length)
    .split("\n\n\n")
    .filter((frame) => frame !== "")
    .map((frame) => {
      const fields = new Map(
        frame
          .split("\n")
          .map((line) => [line.slice(0, line.indexOf(": ")), line.slice(line.indexOf(": ") + 2)]),
      );
      return {
        event: fields.get("event") ?? null,
        data: JSON.parse(fields.get("data") ?? "null"),
        id: fields.get("id") ?? null,
      };
    });
}

/** The SSE headers and the ones every response of the server carries (SEC-7). */
export function expectStreamHeaders(answer: RawAnswer, what: string): void {
  expect(answer.status, what).toBe(200);
  expect(answer.headers["content-type"], what).toBe("text/event-stream");
  expect(answer.headers["cache-control"], what).toBe("no-cache, no-transform");
  expect(answer.headers["x-accel-buffering"], what).toBe("no");
  expect(answer.headers["content-security-policy"], what).toContain("default-src 'self'");
  expect(answer.headers["x-content-type-options"], what).toBe("nosniff");
  expect(answer.headers["x-request-id"], what).toMatch(/^[0-9a-f-]{36}$/);
}
