import { openPostgres } from "@clinic-chat/adapters";
import { cpuOf, origin, postgresCpu, sleep } from "./benchProcesses";
import { log } from "./benchTable";
import type { FigureContext } from "./figureContext";
import { knobs, messageText } from "./knobs";
import { call, keepAliveAgent, pacedLoop, wallNow } from "./load";
import { startRelay } from "./relayFigure";
import { openStream } from "./sse";

/**
 * Figure 2: send acknowledged on A → event on the other participant's stream through B, at a paced
 * rate, beside a bare relay. Answers one event's data as a stream carried it (figure 4's bare
 * server sends its like), or "" when none arrived.
 */
export async function pacedFigure(context: FigureContext): Promise<string> {
  const { ownerUrl, clinic, a, b } = context.deployment;
  const { root, pgData, sendUrl, senderCookies, patientCookies, rows, notes } = context;
  let sampleEvent = "";
  log(
    `\n2. paced sends through A (${knobs.rates.join(" and ")} msg/s, ${knobs.pacedSeconds} s per run after ` +
      `${knobs.pacedWarmupSeconds} s of warm-up at the same rate), ` +
      `spread over ${clinic.pairs.length} conversations; each patient's stream on B`,
  );
  const arrivals = new Map<string, number>();
  let readyStreams = 0;
  const streamAgent = keepAliveAgent(clinic.pairs.length);
  const receivers = clinic.pairs.map((_, i) =>
    openStream(
      streamAgent,
      new URL("/trpc/live.events", b.url),
      { cookie: patientCookies[i]! },
      (event) => {
        if (event.data.includes('"type":"ready"')) readyStreams++;
        const marker = /"text":"(f2-[^"]+?) /.exec(event.data)?.[1];
        if (marker) {
          arrivals.set(marker, wallNow());
          if (!sampleEvent) sampleEvent = event.data;
        }
      },
      (why) => notes.push(`figure 2: a receiving stream ended (${why})`),
    ),
  );
  for (let waited = 0; readyStreams < receivers.length && waited < 60_000; waited += 50) await sleep(50);
  if (readyStreams < receivers.length) throw new Error(`only ${readyStreams} streams became ready`);
  const relayOwner = openPostgres(ownerUrl, { max: 1, onnotice: () => undefined });
  const relay = await startRelay(
    relayOwner,
    ownerUrl,
    clinic.pairs.map((p) => p.conversationId),
    root,
    () => postgresCpu(pgData),
  );
  if (knobs.pgStatements > 0) await relayOwner`create extension if not exists pg_stat_statements`;
  /** PostgreSQL's costliest statements since the last call, per message of `messages`. */
  const topStatements = async (messages: number) => {
    if (knobs.pgStatements <= 0) return;
    const top =
      messages === 0
        ? []
        : await relayOwner<
            { query: string; calls: string; plans: string; total: number; planning: number }[]
          >`
      select query, calls::text, plans::text, total_exec_time as total, total_plan_time as planning
        from pg_stat_statements
       order by total_exec_time + total_plan_time desc limit ${knobs.pgStatements}`;
    for (const row of top)
      log(
        `          ${((row.total * 1000) / messages).toFixed(0).padStart(5)} µs/msg ` +
          `${(Number(row.calls) / messages).toFixed(2).padStart(5)} calls/msg ` +
          `(planned ${(Number(row.plans) / messages).toFixed(2)}/msg, ${((row.planning * 1000) / messages).toFixed(0)} µs/msg)  ` +
          row.query.replace(/\s+/g, " ").slice(0, 150),
      );
    await relayOwner`select pg_stat_statements_reset()`;
  };
  await topStatements(0);
  const productCpu: number[] = [];
  const relayCpu: number[] = [];
  for (const rate of knobs.rates) {
    const deliveryP99: number[] = [];
    const relayP99: number[] = [];
    const pacedSendP99: number[] = [];
    const achievedRates: number[] = [];
    for (let run = 0; run < knobs.runs; run++) {
      const agent = keepAliveAgent(256);
      const acks = new Map<string, number>();
      let firstSend = wallNow();
      let lastAck = firstSend;
      let acknowledged = 0;
      const sendTimes: number[] = [];
      const warmup = Math.round(rate * knobs.pacedWarmupSeconds);
      const count = Math.round(rate * knobs.pacedSeconds);
      const cpuBefore = [await cpuOf(a.process), await cpuOf(b.process), postgresCpu(pgData)] as const;
      await topStatements(0);
      const paced = await pacedLoop({
        rate,
        count: warmup + count,
        drainMs: 60_000,
        once: async (n) => {
          const pair = n % clinic.pairs.length;
          const marker = `f2-${rate}-${run}-${n}`;
          const t0 = wallNow();
          const measured = n >= warmup;
          if (n === warmup) firstSend = t0;
          const answer = await call(agent, sendUrl, {
            method: "POST",
            headers: { "content-type": "application/json", origin, cookie: senderCookies[pair]! },
            body: JSON.stringify({
              conversationId: clinic.pairs[pair]!.conversationId,
              clientId: marker,
              text: `${marker} ${messageText}`,
            }),
          });
          const acked = wallNow();
          if (answer.status !== 200) throw new Error(`${answer.status} ${answer.body.slice(0, 200)}`);
          acknowledged++;
          if (!measured) return;
          acks.set(marker, acked);
          lastAck = Math.max(lastAck, acked);
          sendTimes.push(acked - t0);
        },
      });
      agent.destroy();
      // The last events (bounded wait).
      for (let waited = 0; waited < 15_000; waited += 50) {
        if ([...acks.keys()].every((marker) => arrivals.has(marker))) break;
        await sleep(50);
      }
      // CPU over the whole loop, warm-up included, per message sent in it.
      const perMessage = (before: number, after: number) => (after - before) / Math.max(1, acknowledged);
      const cpuA = perMessage(cpuBefore[0], await cpuOf(a.process));
      const cpuB = perMessage(cpuBefore[1], await cpuOf(b.process));
      const cpuPg = perMessage(cpuBefore[2], postgresCpu(pgData));
      const latencies = [...acks].map(([marker, acked]) => (arrivals.get(marker) ?? Number.NaN) - acked);
      const missing = latencies.filter((l) => Number.isNaN(l)).length;
      const early = latencies.filter((l) => l < 0).length;
      const sorted = latencies.filter((l) => !Number.isNaN(l)).sort((x, y) => x - y);
      sendTimes.sort((x, y) => x - y);
      const p = (values: number[], q: number) =>
        values[Math.min(values.length - 1, Math.ceil((q / 100) * values.length) - 1)] ?? Number.NaN;
      // Acknowledged sends over the time from the first send to the last acknowledgement.
      const achieved = (acks.size * 1000) / (lastAck - firstSend);
      deliveryP99.push(missing > 0 ? Number.POSITIVE_INFINITY : p(sorted, 99));
      pacedSendP99.push(p(sendTimes, 99));
      achievedRates.push(achieved);
      log(
        `   ${rate} msg/s run ${run + 1}: ${acks.size}/${count} sends acknowledged (${paced.failed} failed${paced.failures[0] ? `: ${paced.failures[0]}` : ""}, ` +
          `${paced.unanswered} unanswered after the 60 s drain), ` +
          `${achieved.toFixed(0)} msg/s; send p99 ${p(sendTimes, 99).toFixed(1)} ms; ack → B's stream p50 ` +
          `${p(sorted, 50).toFixed(1)} p99 ${p(sorted, 99).toFixed(1)} max ${p(sorted, 100).toFixed(1)} ms; ` +
          `${early} arrived before their ack, ${missing} never arrived\n` +
          `          CPU per message: A ${cpuA.toFixed(0)} µs, B ${cpuB.toFixed(0)} µs, PostgreSQL ${cpuPg.toFixed(0)} µs`,
      );
      productCpu.push(cpuA + cpuB + cpuPg);
      await topStatements(acknowledged);
      // The relay's run right after the product's, at the same rate on the same database.
      const relayed = await relay.measure(
        rate,
        knobs.pacedWarmupSeconds,
        knobs.pacedSeconds,
        `${rate}-${run}`,
      );
      relayP99.push(relayed.deliveryP99);
      relayCpu.push(relayed.cpu.sender + relayed.cpu.receiver + relayed.cpu.postgres);
      log(
        `   ${rate} msg/s run ${run + 1}, bare relay: ${relayed.acknowledged} acknowledged, ack → other process's ` +
          `stream p99 ${relayed.deliveryP99.toFixed(1)} ms, ${relayed.missing} never arrived\n` +
          `          CPU per message: sender ${relayed.cpu.sender.toFixed(0)} µs, receiver ${relayed.cpu.receiver.toFixed(0)} µs, ` +
          `PostgreSQL ${relayed.cpu.postgres.toFixed(0)} µs`,
      );
      await topStatements(relayed.answered);
    }
    rows.push(
      {
        figure: `2. ack → event on the other process's stream, p99 at ${rate} msg/s (vs a bare relay)`,
        product: deliveryP99,
        baseline: relayP99,
        unit: "ms",
        digits: 1,
        target: rate === knobs.rates[0] ? "≤ 1.5×" : "(≤ 1.5×)",
        pass: rate === knobs.rates[0] ? (p, b) => b !== null && p <= 1.5 * b : null,
      },
      {
        // Less sensitive to other work on the machine than the p99.
        figure: `2. (CPU per message at ${rate} msg/s: both API processes and PostgreSQL vs both relay processes and PostgreSQL)`,
        product: productCpu.splice(0),
        baseline: relayCpu.splice(0),
        unit: "µs",
        digits: 0,
        target: "—",
        pass: null,
      },
      {
        figure: `2. (sends acknowledged per second at ${rate} msg/s offered)`,
        product: achievedRates,
        baseline: null,
        unit: "msg/s",
        digits: 0,
        target: "—",
        pass: null,
      },
      {
        figure: `2. (send p99 at ${rate} msg/s)`,
        product: pacedSendP99,
        baseline: null,
        unit: "ms",
        digits: 1,
        target: "—",
        pass: null,
      },
    );
  }
  for (const receiver of receivers) receiver.close();
  streamAgent.destroy();
  await relay.stop();
  await relayOwner.end();
  return sampleEvent;
}
