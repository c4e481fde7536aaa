import { createServer, type ServerResponse } from "node:http";
import { openPostgres } from "@clinic-chat/adapters";
import { answerMemoryProbes } from "./probe";

// Figure 2's baseline: two bare processes relaying messages across processes through the same
// database, with nothing of the product between them. RELAY_ROLE=sender answers each POST with an
// INSERT and, once committed, a NOTIFY shared by the inserts of its tick; RELAY_ROLE=receiver
// LISTENs, SELECTs the rows after the last it has seen and writes each to the streams of its
// conversation as an SSE frame. Same database, same rate, same clients as the product's figure 2.

const role = process.env.RELAY_ROLE;
const sql = openPostgres(process.env.DATABASE_URL ?? "", { max: 16, onnotice: () => undefined });
const channel = "bench_relay";

function startSender(): ReturnType<typeof createServer> {
  // The NOTIFYs of one tick leave together on a connection of their own, after their commits.
  const bell = openPostgres(process.env.DATABASE_URL ?? "", { max: 1, onnotice: () => undefined });
  let ringing = false;
  const ring = () => {
    if (ringing) return;
    ringing = true;
    setImmediate(() => {
      ringing = false;
      void bell.notify(channel, "");
    });
  };
  return createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const input = JSON.parse(body) as { conversationId: string; clientId: string; text: string };
      sql`insert into bench_relay (conversation_id, client_id, text)
          values (${input.conversationId}, ${input.clientId}, ${input.text}) returning id`.then(
        ([row]) => {
          ring();
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ result: { data: { id: String(row?.id) } } }));
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
  });
}

function startReceiver(): ReturnType<typeof createServer> {
  const streams = new Map<string, Set<ServerResponse>>();
  // Ids can commit out of order: everything up to `seenUpTo` has been relayed, and `seen` holds
  // what was relayed above it, so a row committed late behind a higher id is still relayed once.
  let seenUpTo = 0n;
  const seen = new Set<bigint>();
  let reading = false;
  let again = false;
  const read = async (): Promise<void> => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        const rows = await sql<{ id: string; conversation_id: string; text: string }[]>`
          select id, conversation_id, text from bench_relay where id > ${String(seenUpTo)} order by id`;
        for (const row of rows) {
          const id = BigInt(row.id);
          if (seen.has(id)) continue;
          seen.add(id);
          const frame = `data: ${JSON.stringify({ type: "message", conversationId: row.conversation_id, text: row.text })}\nid: ${row.id}\n\n`;
          for (const res of streams.get(row.conversation_id) ?? []) res.write(frame);
        }
        while (seen.delete(seenUpTo + 1n)) seenUpTo++;
      } while (again);
    } finally {
      reading = false;
    }
  };
  const listening = sql.listen(channel, () => void read());
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://relay");
    const conversation = url.searchParams.get("conversation");
    if (url.pathname !== "/sse" || !conversation) {
      res.writeHead(404);
      res.end();
      return;
    }
    void listening.then(() => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write('event: connected\ndata: {}\n\ndata: {"type":"ready"}\n\n');
      const set = streams.get(conversation) ?? new Set();
      streams.set(conversation, set);
      set.add(res);
      res.on("close", () => set.delete(res));
    });
  });
}

if (role === "sender" || role === "receiver") {
  answerMemoryProbes();
  const server = role === "sender" ? startSender() : startReceiver();
  process.on("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => void sql.end().then(() => process.exit(0)));
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send?.({ type: "listening", port: typeof address === "object" && address ? address.port : 0 });
  });
}
