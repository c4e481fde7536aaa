import { cpuOf, origin } from "./benchProcesses";
import { log } from "./benchTable";
import type { FigureContext } from "./figureContext";
import { knobs } from "./knobs";
import { call, closedLoop, keepAliveAgent, type LoadResult } from "./load";

/** Figure 3: a procedure that touches no database vs a bare node:http handler answering the same JSON. */
export async function overheadFigure(context: FigureContext): Promise<void> {
  const { a } = context.deployment;
  const { rows } = context;
  const signOutUrl = context.signOut.url;
  const bare = context.bare.process;
  const bareUrl = context.bare.url;
  log(
    `\n3. auth.signOut without a session (no database: no cookie, nothing to end) → ${context.signOut.body}, ` +
      `vs a bare handler with the same body; ${knobs.concurrency} keep-alive clients, ${knobs.seconds} s per run`,
  );
  const trpcRates: number[] = [];
  const bareRates: number[] = [];
  const trpcCpu: number[] = [];
  const bareCpu: number[] = [];
  for (let run = 0; run < knobs.runs; run++) {
    const results: LoadResult[] = [];
    const cpu: number[] = [];
    for (const [target, server] of [
      [signOutUrl, a.process],
      [new URL("/trpc/auth.signOut", bareUrl), bare],
    ] as const) {
      const agent = keepAliveAgent(knobs.concurrency);
      const cpuBefore = await cpuOf(server);
      const result = await closedLoop({
        concurrency: knobs.concurrency,
        durationMs: knobs.seconds * 1000,
        warmupMs: 1000,
        maxRequests: 5_000_000,
        once: async () => {
          const answer = await call(agent, target, {
            method: "POST",
            headers: { "content-type": "application/json", origin },
            body: "{}",
          });
          if (answer.status !== 200) throw new Error(String(answer.status));
        },
      });
      cpu.push(((await cpuOf(server)) - cpuBefore) / Math.max(1, result.completed));
      results.push(result);
      agent.destroy();
    }
    const [viaTrpc, viaBare] = results as [LoadResult, LoadResult];
    trpcRates.push(viaTrpc.perSecond);
    bareRates.push(viaBare.perSecond);
    trpcCpu.push(cpu[0]!);
    bareCpu.push(cpu[1]!);
    log(
      `   run ${run + 1}: tRPC ${viaTrpc.perSecond.toFixed(0)} req/s p99 ${viaTrpc.p99.toFixed(1)} ms, ` +
        `${cpu[0]!.toFixed(0)} µs CPU/req (${viaTrpc.failed} failed) | bare ${viaBare.perSecond.toFixed(0)} req/s ` +
        `p99 ${viaBare.p99.toFixed(1)} ms, ${cpu[1]!.toFixed(0)} µs CPU/req (${viaBare.failed} failed)`,
    );
  }
  rows.push(
    {
      figure: "3. requests/s, procedure without database (tRPC stack vs bare node:http)",
      product: trpcRates,
      baseline: bareRates,
      unit: "req/s",
      digits: 0,
      target: "≥ 0.6×",
      pass: (p, b) => b !== null && p >= 0.6 * b,
    },
    {
      // Robust to other load on the machine: what one request costs the server process itself.
      figure: "3. (server CPU per request, same runs)",
      product: trpcCpu,
      baseline: bareCpu,
      unit: "µs",
      digits: 0,
      target: "(≤ 1.67× ⇔ ≥ 0.6× when CPU-bound)",
      pass: null,
    },
  );
}
