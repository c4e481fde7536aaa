import { type ChildProcess, fork } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { resolve } from "node:path";
import type { Sql } from "postgres";
import { call, keepAliveAgent, pacedLoop, percentile, wallNow } from "./load";
import { type OpenStream, openStream } from "./sse";

/** The relay's table, created by the bench (as the database's owner) before either side starts. */
const relayTableSql =
  "create table if not exists bench_relay (id bigserial primary key, conversation_id uuid not null, " +
  "client_id text not null, text text not null)";

/** Figure 2's baseline relay, started once and measured once per run of the product's figure 2. */
export interface Relay {
  /** One paced run: acknowledged sends, and the p99 from acknowledgement to arrival on the other side. */
  measure(rate: number, warmupSeconds: number, seconds: number, tag: string): Promise<RelayRun>;
  stop(): Promise<void>;
}

export interface RelayRun {
  readonly acknowledged: number;
  /** Sends answered in the whole loop, warm-up included. */
  readonly answered: number;
  readonly deliveryP99: number;
  readonly missing: number;
  /** CPU per acknowledged message over the whole loop (µs): the sender, the receiver, PostgreSQL. */
  readonly cpu: { readonly sender: number; readonly receiver: number; readonly postgres: number };
}

function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((answer, fail) => {
    const timer = setTimeout(() => fail(new Error("relay: no CPU answer")), 30_000);
    const onMessage = (m: unknown) => {
      const message = m as { type?: string; micros?: number };
      if (message.type !== "cpu") return;
      clearTimeout(timer);
      child.off("message", onMessage);
      answer(message.micros ?? 0);
    };
    child.on("message", onMessage);
    child.send("cpu");
  });
}

function forkRelay(role: string, databaseUrl: string, logFile: string): Promise<[ChildProcess, number]> {
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = fork(resolve(import.meta.dirname, "relay.ts"), [], {
      execArgv: ["--conditions=@clinic-chat/source", "--import", "tsx"],
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        RELAY_ROLE: role,
        DATABASE_URL: databaseUrl,
      },
      stdio: ["ignore", fd, fd, "ipc"],
    });
  } finally {
    closeSync(fd);
  }
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`relay ${role} did not start`)), 60_000);
    child.once("exit", (code) => fail(new Error(`relay ${role} exited with ${code}`)));
    child.on("message", (m: unknown) => {
      const message = m as { type?: string; port?: number };
      if (message.type !== "listening") return;
      clearTimeout(timer);
      ready([child, message.port ?? 0]);
    });
  });
}

/**
 * Starts the relay's two processes on the bench's database (as its owner: the relay's table is
 * its own) and opens one stream per conversation on the receiving side.
 */
export async function startRelay(
  owner: Sql,
  databaseUrl: string,
  conversationIds: readonly string[],
  logDirectory: string,
  /** PostgreSQL's CPU time so far (µs). */
  postgresCpu: () => number,
): Promise<Relay> {
  await owner.unsafe(relayTableSql);
  const [sender, senderPort] = await forkRelay("sender", databaseUrl, `${logDirectory}/relay-sender.log`);
  const [receiver, receiverPort] = await forkRelay(
    "receiver",
    databaseUrl,
    `${logDirectory}/relay-receiver.log`,
  );
  const arrivals = new Map<string, number>();
  let ready = 0;
  const streamAgent = keepAliveAgent(conversationIds.length);
  const streams: OpenStream[] = conversationIds.map((conversationId) =>
    openStream(
      streamAgent,
      new URL(`/sse?conversation=${conversationId}`, `http://127.0.0.1:${receiverPort}`),
      {},
      (event) => {
        if (event.data.includes('"type":"ready"')) ready++;
        const marker = /"text":"(r2-[^"]+?) /.exec(event.data)?.[1];
        if (marker) arrivals.set(marker, wallNow());
      },
      () => undefined,
    ),
  );
  for (let waited = 0; ready < streams.length && waited < 60_000; waited += 50) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (ready < streams.length) throw new Error(`relay: only ${ready} streams became ready`);
  const sendUrl = new URL("/send", `http://127.0.0.1:${senderPort}`);

  return {
    async measure(rate, warmupSeconds, seconds, tag) {
      const agent = keepAliveAgent(256);
      const acks = new Map<string, number>();
      const warmup = Math.round(rate * warmupSeconds);
      const cpuBefore = [await cpuOf(sender), await cpuOf(receiver), postgresCpu()] as const;
      let answered = 0;
      await pacedLoop({
        rate,
        count: warmup + Math.round(rate * seconds),
        drainMs: 60_000,
        once: async (n) => {
          const i = n % conversationIds.length;
          const marker = `r2-${tag}-${n}`;
          const answer = await call(agent, sendUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              conversationId: conversationIds[i],
              clientId: marker,
              text: `${marker} relay`,
            }),
          });
          if (answer.status !== 200) throw new Error(`relay ${answer.status}`);
          answered++;
          if (n >= warmup) acks.set(marker, wallNow());
        },
      });
      agent.destroy();
      for (let waited = 0; waited < 15_000; waited += 50) {
        if ([...acks.keys()].every((marker) => arrivals.has(marker))) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const per = (before: number, after: number) => (after - before) / Math.max(1, answered);
      const cpu = {
        sender: per(cpuBefore[0], await cpuOf(sender)),
        receiver: per(cpuBefore[1], await cpuOf(receiver)),
        postgres: per(cpuBefore[2], postgresCpu()),
      };
      const latencies = [...acks].map(([marker, acked]) => (arrivals.get(marker) ?? Number.NaN) - acked);
      const missing = latencies.filter((l) => Number.isNaN(l)).length;
      const sorted = latencies.filter((l) => !Number.isNaN(l)).sort((x, y) => x - y);
      return {
        acknowledged: acks.size,
        answered,
        deliveryP99: missing > 0 ? Number.POSITIVE_INFINITY : percentile(sorted, 99),
        missing,
        cpu,
      };
    },
    async stop() {
      for (const stream of streams) stream.close();
      streamAgent.destroy();
      for (const child of [sender, receiver]) {
        if (child.exitCode !== null) continue;
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}
