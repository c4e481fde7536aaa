import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { cpuOf, forkTs, memoryOf, origin, signInAll, sleep, waitForMessage } from "./benchProcesses";
import { log } from "./benchTable";
import type { FigureContext } from "./figureContext";
import { knobs, messageText } from "./knobs";
import { call, keepAliveAgent, wallNow } from "./load";
import type { ClientCommand, ClientReport } from "./sseClients";

/**
 * Figure 4: many open streams on one process (B) vs the bare SSE server: memory per stream, and one
 * event to all of them. `sampleEvent` is figure 2's event as a stream carried it ("" if it did not
 * run), the bare server's event.
 */
export async function streamsFigure(context: FigureContext, sampleEvent: string): Promise<void> {
  const { clinic, a, b } = context.deployment;
  const { root, sendUrl, children, rows, notes } = context;
  const bare = context.bare.process;
  const bareUrl = context.bare.url;
  log(
    `\n4. ${knobs.streams} streams on B, shared by ${knobs.streamSessions} signed-in staff ` +
      `(${knobs.streams / knobs.streamSessions} streams per session), from a client process of their own`,
  );
  const broadcastCookies = await signInAll(a.url, clinic.broadcastStaff);
  const [adminCookie] = await signInAll(a.url, [clinic.admin]);
  const fanOut = async (
    server: ChildProcess,
    url: string,
    headers: Record<string, string>[],
    deliver: (marker: string) => Promise<number>,
  ) => {
    await sleep(2_000);
    const before = await memoryOf(server);
    const client = forkTs("sseClients.ts", {}, join(root, "clients.log"));
    children.push(client);
    const opened = waitForMessage(
      client,
      (m) =>
        (m as ClientReport).type === "opened" ? (m as Extract<ClientReport, { type: "opened" }>) : undefined,
      600_000,
    );
    const open: ClientCommand = {
      type: "open",
      url,
      headers,
      count: knobs.streams,
      concurrency: 200,
      readyText: '"type":"ready"',
      timeoutMs: 300_000,
    };
    client.send(open);
    const o = await opened;
    await sleep(2_000);
    const after = await memoryOf(server);
    if (knobs.heapSnapshot && server !== bare) {
      const written = waitForMessage(
        server,
        (m) => ((m as { type?: string }).type === "snapshot" ? true : undefined),
        300_000,
      );
      server.send({ snapshot: resolve(knobs.heapSnapshot) });
      await written;
    }
    const marker = `f4-${randomBytes(4).toString("hex")}`;
    const received = waitForMessage(
      client,
      (m) =>
        (m as ClientReport).type === "received"
          ? (m as Extract<ClientReport, { type: "received" }>)
          : undefined,
      200_000,
    );
    const expectMarker: ClientCommand = { type: "expect", marker, timeoutMs: 180_000 };
    client.send(expectMarker);
    await sleep(200);
    const cpuBefore = await cpuOf(server);
    const from = await deliver(marker);
    const r = await received;
    const cpuPerStream = ((await cpuOf(server)) - cpuBefore) / Math.max(1, r.count);
    client.send({ type: "close" } satisfies ClientCommand);
    await new Promise<void>((resolve) => {
      if (client.exitCode !== null) resolve();
      else client.once("exit", () => resolve());
    });
    return {
      open: o.open,
      failed: o.failed,
      reasons: o.reasons,
      openSeconds: o.seconds,
      rssPerStream: (after.rss - before.rss) / Math.max(1, o.open),
      heapPerStream: (after.heapUsed - before.heapUsed) / Math.max(1, o.open),
      received: r.count,
      lost: r.lost,
      cpuPerStream,
      firstMs: r.count > 0 ? r.firstAt - from : Number.NaN,
      lastMs: r.count > 0 ? r.lastAt - from : Number.NaN,
    };
  };
  const sendAgent = keepAliveAgent(1);
  const viaApi = await fanOut(
    b.process,
    new URL("/trpc/live.events", b.url).toString(),
    broadcastCookies.map((cookie) => ({ cookie })),
    async (marker) => {
      const answer = await call(sendAgent, sendUrl, {
        method: "POST",
        headers: { "content-type": "application/json", origin, cookie: adminCookie! },
        body: JSON.stringify({
          conversationId: clinic.broadcastConversationId,
          clientId: marker,
          text: `${marker} ${messageText}`,
        }),
      });
      if (answer.status !== 200) throw new Error(`broadcast send: ${answer.status} ${answer.body}`);
      return wallNow();
    },
  );
  sendAgent.destroy();
  const bareEvent = (sampleEvent || `{"type":"message.posted","text":"f2-x ${messageText}"}`).replace(
    /f2-[^ "]+/,
    "MARKER",
  );
  const viaBareSse = await fanOut(bare, new URL("/sse", bareUrl).toString(), [{}], async (marker) => {
    const done = waitForMessage(
      bare,
      (m) => ((m as { type?: string }).type === "broadcasted" ? (m as { at: number }).at : undefined),
      30_000,
    );
    bare.send({ type: "broadcast", data: bareEvent.replace("MARKER", marker) });
    return done;
  });
  for (const [name, f] of [
    ["API (B)", viaApi],
    ["bare SSE", viaBareSse],
  ] as const) {
    log(
      `   ${name}: ${f.open} open in ${f.openSeconds.toFixed(1)} s (${f.failed} failed${f.reasons[0] ? `: ${f.reasons[0]}` : ""}); ` +
        `per stream RSS ${(f.rssPerStream / 1024).toFixed(1)} KiB, heap ${(f.heapPerStream / 1024).toFixed(1)} KiB; ` +
        `one event reached ${f.received} (lost ${f.lost}), first after ${f.firstMs.toFixed(0)} ms, last after ` +
        `${f.lastMs.toFixed(0)} ms, ${f.cpuPerStream.toFixed(0)} µs server CPU per stream reached`,
    );
    if (f.open < knobs.streams)
      notes.push(`figure 4 (${name}): only ${f.open} of ${knobs.streams} streams opened`);
  }
  // Per-stream figures of fewer streams than asked spread the fixed cost over too few: no pass.
  const allOpen = viaApi.open === knobs.streams && viaBareSse.open === knobs.streams;
  rows.push(
    {
      figure: `4. RSS per open stream (${knobs.streams} streams)`,
      product: [viaApi.rssPerStream / 1024],
      baseline: [viaBareSse.rssPerStream / 1024],
      unit: "KiB",
      digits: 1,
      target: "≤ 1.5×",
      pass: (p, b) => allOpen && b !== null && p <= 1.5 * b,
    },
    {
      figure: "4. JS heap per open stream",
      product: [viaApi.heapPerStream / 1024],
      baseline: [viaBareSse.heapPerStream / 1024],
      unit: "KiB",
      digits: 1,
      target: "≤ 1.5×",
      pass: (p, b) => allOpen && b !== null && p <= 1.5 * b,
    },
    {
      figure: `4. one event to all ${knobs.streams} streams: until the last has it`,
      product: [viaApi.lastMs],
      baseline: [viaBareSse.lastMs],
      unit: "ms",
      digits: 0,
      target: "—",
      pass: null,
    },
  );
}
