import { createServer, type ServerResponse } from "node:http";
import { wallNow } from "./load";
import { answerMemoryProbes } from "./probe";

// The baselines' server: a bare node:http handler answering the same JSON as the tRPC procedure,
// and a bare SSE endpoint (text/event-stream, the same first events as a tRPC stream). No
// framework, no logging, no headers beyond what the answer needs.

const json = process.env.BARE_JSON ?? "{}";
const streams = new Set<ServerResponse>();

const server = createServer((req, res) => {
  if (req.url === "/sse" && req.method === "GET") {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    res.write('event: connected\ndata: {}\n\nid: 1\ndata: {"type":"ready"}\n\n');
    streams.add(res);
    res.on("close", () => streams.delete(res));
    return;
  }
  // Reads the body like a JSON endpoint would, then answers.
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => {
    body += chunk;
  });
  req.on("end", () => {
    if (body !== "") JSON.parse(body);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(json);
  });
});

answerMemoryProbes();
process.on("message", (message: unknown) => {
  if (typeof message !== "object" || message === null) return;
  const m = message as { type: string; data?: string };
  if (m.type === "broadcast") {
    const at = wallNow();
    const chunk = `id: 2\ndata: ${m.data ?? "{}"}\n\n`;
    for (const res of streams) res.write(chunk);
    process.send?.({ type: "broadcasted", at, streams: streams.size });
  }
});
process.on("SIGTERM", () => {
  for (const res of streams) res.destroy();
  server.close(() => process.exit(0));
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ type: "listening", port: typeof address === "object" && address ? address.port : 0 });
});
