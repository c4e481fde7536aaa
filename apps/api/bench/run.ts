import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { openPostgres } from "@clinic-chat/adapters";
import { broadcastRows, retentionRows } from "./backgroundFigures";
import { type EmbeddedPostgres, startBenchDeployment } from "./benchDeployment";
import { forkTs, origin, productNodeFlags, signInAll, stopChild, waitForMessage } from "./benchProcesses";
import { log, printTable, type Row } from "./benchTable";
import type { FigureContext } from "./figureContext";
import { knobs } from "./knobs";
import { call, keepAliveAgent } from "./load";
import { overheadFigure } from "./overheadFigure";
import { pacedFigure } from "./pacedFigure";
import { seedExpiredMessages } from "./retentionFigure";
import { sendFigures } from "./sendFigure";
import { streamsFigure } from "./streamsFigure";

// The API's figures, each beside a baseline from the same run on the same machine. Other work on
// the machine moves absolute numbers, so figures 1–3 run BENCH_RUNS times (alternating product and
// baseline) and the table shows the median and the spread; CPU time per request is shown as well,
// since it moves less. The product runs as `npm start` runs it (src/main.ts with its configuration
// from the environment, NODE_ENV=production, default log level), in child processes, on one
// embedded PostgreSQL 18 (durable settings, as the product's own) under a temporary folder.
//
// 1. messages.send over HTTP (keep-alive, session cookie, Origin) through API process A by 64
//    senders, each a practitioner in a patient chat of their own: 64 conversations, so no two
//    in-flight sends wait for the same conversation row or the same recipient's notification state.
//    Baseline: the same 64 conversations, 64 postgres.js connections as the application role
//    (row-level security on; app.clinic_id set once per connection), the SAME WRITES as a send in
//    ONE statement per message, in autocommit: a CTE that bumps conversations.last_seq (and the
//    activity time of the conversation and its members), inserts the message row with that seq and
//    its live event, its data key's row (REC-1: a 60-byte wrapping) and its search-index row
//    (SRCH-1: as many 64-bit digests as the send's text has search terms), opens the recipient's
//    notification burst unless one is pending and adds the message to it (one row, as a send
//    does), and inserts the audit record. The text stays plain (sealing is the API process's CPU,
//    not a write, and a plain text reads back whatever key row sits beside it). It leaves out
//    what a send also does besides writing: HTTP and tRPC, resolving the session cookie, loading
//    and checking the person, conversation, participant, clinic and patient, idempotency by client
//    id, the transaction around the statements, the timer job when a burst opens, and the NOTIFY
//    doorbell.
// 1i. Figure 1 with each conversation's practitioner and patient sending in turn: every send
//    changes who wrote last ("Awaiting reply", INBOX-1), so every send also writes the
//    conversation's inbox state, and each patient's message notifies the practitioner. Baseline:
//    the same one statement with the same sender and recipient (it sets who wrote last in the
//    conversation update it makes anyway). Figure 1's baseline sets it too.
// 2. A paced sender (open loop) through A; each recipient's live.events stream is on process B;
//    the time from the send's HTTP answer to the event on B's stream, p99, over the sends after a
//    warm-up at the same rate (the loop does not pause between the two). No baseline.
// 3. auth.signOut without a session cookie (it touches no database: no session, nothing to end)
//    through the whole server (security headers, request id, access log, tRPC) vs a bare
//    node:http handler answering the same JSON body; same client, same concurrency.
// 4. 10,000 live.events streams on process B (shared by a few signed-in staff: that many distinct
//    sign-ins would not be realistic to create) vs a bare SSE server, opened by a client process of
//    their own: RSS and JS heap per stream (after a full GC, before vs after), then one message to
//    all of them and the time until the last stream has it.
// 5. A broadcast to BENCH_BROADCAST_RECIPIENTS patients (BCAST-1) through A: copies per second,
//    beside figure 1's sends per second; and a paced patient↔staff chat meanwhile, p99 from the
//    send's answer to the event on B's stream, beside the same chat alone (broadcastFigure.ts).
// 6. The daily retention run (REC-3) of BENCH_RETENTION_MESSAGES messages past the clinic's period
//    (some of them files), as process A's pg-boss job runs it; a paced staff→patient chat
//    meanwhile, p99 from the send's answer to the event on B's stream, beside the same chat alone
//    right after; and the run's messages deleted per second (retentionFigure.ts).
// Not a test: nothing here asserts on time; it prints a table. Knobs (environment) are in knobs.ts;
// each figure's body is in its own module (sendFigure.ts, pacedFigure.ts, overheadFigure.ts,
// streamsFigure.ts, backgroundFigures.ts), run here in the order below.

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "clinic-chat-api-bench-"));
  const children: ChildProcess[] = [];
  let database = null as EmbeddedPostgres | null;
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    log(
      `Clinic Chat API bench — ${new Date().toISOString()} — ${cpus().length} cores, ` +
        `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version} ${productNodeFlags.join(" ")}; product log level ${knobs.logLevel}`,
    );
    // Two API processes on one database: A runs the notification worker, B does not.
    const deployment = await startBenchDeployment({
      root,
      children,
      onDatabase: (started) => {
        database = started;
      },
      logLevel: knobs.logLevel,
      pairs: knobs.concurrency,
      broadcast: knobs.streamSessions,
      worker: "inline",
      // Figure 4 opens its streams over a few sessions, far more each than a person's devices
      // (OPS-1 caps a session at 10 by default; the setting's most is 1,000).
      env: {
        LIVE_STREAMS_PER_SESSION: String(
          Math.min(1000, Math.max(10, Math.ceil(knobs.streams / knobs.streamSessions))),
        ),
      },
      ...(knobs.pgStatements > 0
        ? {
            postgresSettings: {
              shared_preload_libraries: "pg_stat_statements",
              "pg_stat_statements.track": "all",
              "pg_stat_statements.track_planning": "on",
            },
          }
        : {}),
      ...(knobs.cpuProfiles
        ? {
            nodeArgs: (name: string) => [
              "--cpu-prof",
              "--cpu-prof-dir",
              resolve(knobs.cpuProfiles!),
              "--cpu-prof-name",
              `${name}.cpuprofile`,
            ],
          }
        : {}),
      afterSeed: async (seeding, seeded, ownerUrl) => {
        if (!knobs.only.has("6")) return;
        const owner = openPostgres(ownerUrl, { max: 1, onnotice: () => undefined });
        await seedExpiredMessages({
          product: seeding,
          owner,
          clinic: seeded,
          messages: knobs.retentionMessages,
          files: knobs.retentionFiles,
          log,
        }).finally(() => owner.end());
      },
    });
    const { clinic, a, b } = deployment;
    log(
      `seeded in ${deployment.seedSeconds.toFixed(1)} s: 1 clinic, ${clinic.pairs.length} ` +
        `patient chats (1 practitioner + 1 patient each), a Team Chat of ${clinic.broadcastStaff.length + 1} staff`,
    );
    log(`two API processes up in ${deployment.startSeconds.toFixed(1)} s: ${a.url}, ${b.url}`);

    const senderCookies = await signInAll(
      a.url,
      clinic.pairs.map((p) => p.practitioner),
    );
    const patientCookies = await signInAll(
      a.url,
      clinic.pairs.map((p) => p.patient),
    );
    log(`${senderCookies.length + patientCookies.length} people signed in through auth.signIn`);

    // -------------------------------------------------------------------------------------------
    // Shared by the figures: the send endpoint, and the baselines' bare server (started now so it
    // warms up alongside), answering what auth.signOut without a session answers.
    const sendUrl = new URL("/trpc/messages.send", a.url);
    const pgData = join(root, "postgres");
    const signOutUrl = new URL("/trpc/auth.signOut", a.url);
    const probeAgent = keepAliveAgent(1);
    const signOutAnswer = await call(probeAgent, signOutUrl, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: "{}",
    });
    probeAgent.destroy();
    if (signOutAnswer.status !== 200) throw new Error(`auth.signOut: ${signOutAnswer.status}`);
    const bare = forkTs("bareServer.ts", { BARE_JSON: signOutAnswer.body }, join(root, "bare.log"));
    children.push(bare);
    const barePort = await waitForMessage(
      bare,
      (m) => ((m as { type?: string }).type === "listening" ? (m as { port: number }).port : undefined),
      60_000,
    );
    const bareUrl = `http://127.0.0.1:${barePort}`;

    const context: FigureContext = {
      root,
      pgData,
      deployment,
      senderCookies,
      patientCookies,
      sendUrl,
      signOut: { url: signOutUrl, body: signOutAnswer.body },
      bare: { process: bare, url: bareUrl },
      children,
      rows,
      notes,
    };
    /** Figure 1's median sends per second through the API, figure 5's baseline. */
    const figure1Rate = await sendFigures(context);
    /** One of figure 2's events as a stream carried it: figure 4's bare server sends its like. */
    const sampleEvent = knobs.only.has("2") ? await pacedFigure(context) : "";
    if (knobs.only.has("3")) await overheadFigure(context);
    if (knobs.only.has("5")) await broadcastRows(context, figure1Rate);
    if (knobs.only.has("6")) await retentionRows(context);
    if (knobs.only.has("4")) await streamsFigure(context, sampleEvent);
  } finally {
    printTable(rows);
    for (const note of notes) log(`note: ${note}`);
    for (const child of children.reverse()) await stopChild(child);
    await database?.stop();
    if (!process.env.BENCH_KEEP) await rm(root, { recursive: true, force: true });
    else log(`kept ${root}`);
  }
}

await main();
