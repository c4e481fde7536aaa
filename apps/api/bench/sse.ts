import { type Agent, type ClientRequest, request } from "node:http";

/** One server-sent event. */
export interface SseEvent {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

/** An incremental text/event-stream parser (LF line ends, as both servers here write). */
export class SseParser {
  private pending = "";
  private event = "";
  private id: string | null = null;
  private data: string[] = [];

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    this.pending += chunk;
    let newline = this.pending.indexOf("\n");
    while (newline !== -1) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      if (line === "") {
        if (this.data.length > 0 || this.event !== "")
          this.onEvent({ event: this.event || "message", id: this.id, data: this.data.join("\n") });
        this.event = "";
        this.id = null;
        this.data = [];
      } else if (!line.startsWith(":")) {
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
        if (field === "data") this.data.push(value);
        else if (field === "event") this.event = value;
        else if (field === "id") this.id = value;
      }
      newline = this.pending.indexOf("\n");
    }
  }
}

/** An open event stream: stop it with `close()`. */
export interface OpenStream {
  close(): void;
}

/**
 * Opens one event stream with GET over `agent` and hands each event to `onEvent`; `onEnd` runs
 * once when the stream ends, fails or is refused (status other than 200).
 */
export function openStream(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  onEvent: (event: SseEvent) => void,
  onEnd: (why: string) => void,
): OpenStream {
  let ended = false;
  const end = (why: string) => {
    if (ended) return;
    ended = true;
    onEnd(why);
  };
  const req: ClientRequest = request(
    url,
    { agent, headers: { accept: "text/event-stream", "cache-control": "no-store", ...headers } },
    (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        end(`status ${res.statusCode}`);
        return;
      }
      res.setEncoding("utf8");
      const parser = new SseParser(onEvent);
      res.on("data", (chunk: string) => parser.push(chunk));
      res.on("end", () => end("ended"));
      res.on("error", (error) => end(error.message));
    },
  );
  req.on("error", (error) => end(error.message));
  req.end();
  return {
    close() {
      ended = true;
      req.destroy();
    },
  };
}
