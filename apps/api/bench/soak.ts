import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { openPostgres } from "@clinic-chat/adapters";
import { type EmbeddedPostgres, startBenchDeployment } from "./benchDeployment";
import { type Child, memoryOf, origin, signInAll, sleep, stopChild } from "./benchProcesses";
import { call, keepAliveAgent, pacedLoop, wallNow } from "./load";
import type { MemoryReport } from "./probe";
import { soakPlotPng } from "./soakPlot";
import { closingMessage, keepReadersActive, openQuietStreams } from "./soakQuietStreams";
import { type SoakSample, samplesCsv, sampleTables, summarise } from "./soakSamples";
import { openStream } from "./sse";

// The soak: SOAK_MINUTES at SOAK_RATE msg/s with SOAK_STREAMS open event streams across two API
// processes and a notification worker of its own, on the bench's embedded PostgreSQL. Practitioner
// i sends through A to patient i, whose stream is on B; patient i answers through B to practitioner
// i, whose stream is on A (every send flips "Awaiting reply" and each patient's message notifies the
// practitioner, so the worker has work). The other streams belong to signed-in staff of a Team Chat
// that stays quiet, split between A and B, opened by client processes of their own; one message to
// that chat at the end shows they all stayed open. Every SOAK_SAMPLE_SECONDS: RSS and JS heap of
// each product process (after a full GC), the deliveries of the interval, dead rows and sizes of the
// main tables. Not a test: it prints a summary and writes soak.csv and soak.png to SOAK_OUT.

const knobs = {
  minutes: Number(process.env.SOAK_MINUTES ?? 20),
  rate: Number(process.env.SOAK_RATE ?? 200),
  streams: Number(process.env.SOAK_STREAMS ?? 2_000),
  pairs: Number(process.env.SOAK_PAIRS ?? 64),
  sampleSeconds: Number(process.env.SOAK_SAMPLE_SECONDS ?? 10),
  /** Memory before this is the warm-up (caches, connection pools, JIT), left out of the flatness. */
  warmupMinutes: Number(process.env.SOAK_WARMUP_MINUTES ?? 3),
  /**
   * Staff sessions holding the quiet streams: members of one Team Chat (at most 50 with the admin),
   * each signed in once (a TOTP code signs in once), so each holds many streams: the soak raises
   * LIVE_STREAMS_PER_SESSION to that share.
   */
  quietSessions: 48,
  logLevel: process.env.SOAK_LOG_LEVEL ?? "info",
  out: resolve(process.env.SOAK_OUT ?? resolve(import.meta.dirname, "../../../docs")),
};

const messageText = "Your lab results are in; please book a follow-up this week. (soak)";

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-soak-"));
  const children: ChildProcess[] = [];
  let database = null as EmbeddedPostgres | null;
  const notes: string[] = [];
  try {
    const activeStreams = 2 * knobs.pairs;
    const quietStreams = Math.max(0, knobs.streams - activeStreams);
    const quietSessions = knobs.quietSessions;
    const streamsPerSession = Math.max(10, Math.ceil(quietStreams / quietSessions));
    log(
      `Clinic Chat soak — ${new Date().toISOString()} — ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
        `Node ${process.version}; ${knobs.minutes} min at ${knobs.rate} msg/s over ${knobs.pairs} patient chats, ` +
        `${activeStreams + quietStreams} streams (${quietStreams} quiet ones of ${quietSessions} staff sessions, ${streamsPerSession} per session); load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")}`,
    );
    const deployment = await startBenchDeployment({
      root,
      children,
      onDatabase: (started) => {
        database = started;
      },
      logLevel: knobs.logLevel,
      pairs: knobs.pairs,
      broadcast: quietSessions,
      env: { LIVE_STREAMS_PER_SESSION: String(streamsPerSession) },
      worker: "process",
    });
    const { clinic, a, b, worker } = deployment;
    log(
      `seeded in ${deployment.seedSeconds.toFixed(1)} s; A, B and the worker up in ${deployment.startSeconds.toFixed(1)} s`,
    );
    const processes: Child[] = [a, b, ...(worker ? [worker] : [])];
    const names = processes.map((p) => p.name);
    const practitioners = await signInAll(
      a.url,
      clinic.pairs.map((p) => p.practitioner),
    );
    const patients = await signInAll(
      b.url,
      clinic.pairs.map((p) => p.patient),
    );
    const quiet = await signInAll(a.url, clinic.broadcastStaff);
    log(`${practitioners.length + patients.length + quiet.length} sessions signed in`);

    // The measured streams, in this process: each recipient's stream on the other process.
    const acks = new Map<number, number>();
    const early = new Map<number, number>();
    let deliveries: number[] = [];
    let ready = 0;
    const streamAgent = keepAliveAgent(activeStreams);
    const receive = (fromPractitioner: boolean) => (event: { data: string }) => {
      if (event.data.includes('"type":"ready"')) ready++;
      const n = Number(/"text":"soak-(\d+) /.exec(event.data)?.[1] ?? Number.NaN);
      if (Number.isNaN(n) || (n % 2 === 0) !== fromPractitioner) return;
      const acked = acks.get(n);
      if (acked === undefined) early.set(n, wallNow());
      else {
        acks.delete(n);
        deliveries.push(wallNow() - acked);
      }
    };
    const ended = (why: string) => notes.push(`a measured stream ended (${why})`);
    const receivers = clinic.pairs.flatMap((_, i) => [
      openStream(
        streamAgent,
        new URL("/trpc/live.events", b.url),
        { cookie: patients[i]! },
        receive(true),
        ended,
      ),
      openStream(
        streamAgent,
        new URL("/trpc/live.events", a.url),
        { cookie: practitioners[i]! },
        receive(false),
        ended,
      ),
    ]);
    for (let waited = 0; ready < receivers.length && waited < 120_000; waited += 50) await sleep(50);
    if (ready < receivers.length)
      throw new Error(`only ${ready} of ${receivers.length} measured streams became ready`);

    const half = quietSessions / 2;
    const quietClients = await Promise.all([
      openQuietStreams(root, "quiet-a", a.url, quiet.slice(0, half), Math.floor(quietStreams / 2)),
      openQuietStreams(root, "quiet-b", b.url, quiet.slice(half), Math.ceil(quietStreams / 2)),
    ]);
    for (const [i, q] of quietClients.entries()) {
      children.push(q.client);
      log(
        `quiet streams on ${i === 0 ? "A" : "B"}: ${q.opened.open} open in ${q.opened.seconds.toFixed(1)} s ` +
          `(${q.opened.failed} failed${q.opened.reasons[0] ? `: ${q.opened.reasons[0]}` : ""})`,
      );
    }

    const readers = keepReadersActive(
      quiet.map((cookie, i) => ({ url: i < half ? a.url : b.url, cookie })),
      4 * 60_000,
    );

    // The sampler: every interval, memory of each process, the interval's sends and deliveries, tables.
    const owner = openPostgres(deployment.ownerUrl, { max: 1, onnotice: () => undefined });
    const samples: SoakSample[] = [];
    let acknowledged = 0;
    let failed = 0;
    const started = wallNow();
    let sampling = true;
    const sampler = (async () => {
      for (let next = started + knobs.sampleSeconds * 1000; sampling; next += knobs.sampleSeconds * 1000) {
        await sleep(Math.max(0, next - wallNow()));
        if (!sampling) break;
        const memory: Record<string, MemoryReport> = {};
        for (const p of processes) memory[p.name] = await memoryOf(p.process);
        const sample: SoakSample = {
          seconds: (wallNow() - started) / 1000,
          memory,
          acknowledged,
          failed,
          deliveries,
          tables: await sampleTables(owner),
        };
        acknowledged = 0;
        failed = 0;
        deliveries = [];
        samples.push(sample);
        const mib = (v: number) => (v / 2 ** 20).toFixed(0);
        const sorted = [...sample.deliveries].sort((x, y) => x - y);
        log(
          `  ${sample.seconds.toFixed(0).padStart(5)} s: ${names.map((n) => `${n} ${mib(memory[n]!.rss)}/${mib(memory[n]!.heapUsed)} MiB`).join(", ")}; ` +
            `${sample.acknowledged} acked, ${sample.failed} failed, p99 ${(sorted[Math.ceil(sorted.length * 0.99) - 1] ?? Number.NaN).toFixed(0)} ms; ` +
            `dead rows ${Object.values(sample.tables).reduce((sum, t) => sum + t.deadRows, 0)}; load ${loadavg()[0]!.toFixed(1)}`,
        );
      }
    })();

    const agents = [keepAliveAgent(256), keepAliveAgent(256)] as const;
    const paced = await pacedLoop({
      rate: knobs.rate,
      count: Math.round(knobs.rate * knobs.minutes * 60),
      drainMs: 60_000,
      once: async (n) => {
        const pair = Math.floor(n / 2) % clinic.pairs.length;
        const byPractitioner = n % 2 === 0;
        const answer = await call(
          agents[byPractitioner ? 0 : 1],
          new URL("/trpc/messages.send", byPractitioner ? a.url : b.url),
          {
            method: "POST",
            headers: {
              "content-type": "application/json",
              origin,
              cookie: byPractitioner ? practitioners[pair]! : patients[pair]!,
            },
            body: JSON.stringify({
              conversationId: clinic.pairs[pair]!.conversationId,
              clientId: `soak-${n}`,
              text: `soak-${n} ${messageText}`,
            }),
          },
        ).catch((error: unknown) => {
          failed++;
          throw error;
        });
        const acked = wallNow();
        if (answer.status !== 200) {
          failed++;
          throw new Error(`${answer.status} ${answer.body.slice(0, 200)}`);
        }
        acknowledged++;
        const arrived = early.get(n);
        if (arrived === undefined) acks.set(n, acked);
        else {
          early.delete(n);
          deliveries.push(Math.max(0, arrived - acked));
        }
      },
    });
    sampling = false;
    await sampler;
    const touched = readers.stop();
    notes.push(
      `quiet sessions' keep-alives (auth.me every 4 min): ${touched.calls}, ${touched.failed} failed`,
    );
    for (const agent of agents) agent.destroy();
    log(
      `sends: ${paced.started} started, ${paced.failed} failed${paced.failures[0] ? ` (${paced.failures[0]})` : ""}, ` +
        `${paced.unanswered} unanswered after the drain; ${acks.size} acknowledged sends never reached their stream`,
    );

    // The samples first: what follows may fail without losing them.
    await mkdir(knobs.out, { recursive: true });
    await writeFile(join(knobs.out, "soak.csv"), samplesCsv(samples, names));
    const summary = summarise(samples, names, knobs.warmupMinutes * 60);
    log(`\n${summary.join("\n")}`);
    log(
      `\nload average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    await writeFile(join(knobs.out, "soak.png"), soakPlotPng(samples, names, knobs.warmupMinutes * 60));
    log(`wrote ${join(knobs.out, "soak.csv")} and soak.png\n`);

    await closingMessage(quietClients, {
      aUrl: a.url,
      admin: clinic.admin,
      conversationId: clinic.broadcastConversationId,
      messageText,
      log,
    });
    for (const receiver of receivers) receiver.close();
    streamAgent.destroy();

    await owner.end();
  } finally {
    for (const note of notes.slice(0, 10)) log(`note: ${note}`);
    for (const child of children.reverse()) await stopChild(child);
    await database?.stop();
    if (!process.env.SOAK_KEEP) await rm(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

await main();
