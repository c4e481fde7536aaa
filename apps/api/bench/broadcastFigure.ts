import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { openLiveChat } from "./liveChat";
import { call, keepAliveAgent, wallNow } from "./load";

// Figure 5 (BCAST-1): a broadcast to `recipients` patients through process A (which runs the
// broadcast worker), its messages per second from the send's answer until the last copy went;
// and meanwhile a paced patient↔staff chat through A, each message's time from its send's answer
// to its event on the patient's stream on process B, p99. The chat runs first alone for the same
// time at the same rate: that is its baseline from the same run.

/** What the figure needs from the bench's run. */
export interface BroadcastFigureInput {
  readonly owner: Sql;
  readonly clinicId: string;
  readonly aUrl: string;
  readonly bUrl: string;
  readonly origin: string;
  readonly adminCookie: string;
  readonly senderCookie: string;
  readonly patientCookie: string;
  readonly conversationId: string;
  readonly recipients: number;
  /** Live chat messages per second, during the broadcast and alone. */
  readonly chatRate: number;
  /** How long the chat runs, during the broadcast (from its start) and alone. */
  readonly chatSeconds: number;
  readonly log: (line: string) => void;
}

/** The figure's numbers. */
export interface BroadcastFigure {
  readonly messagesPerSecond: number;
  readonly seconds: number;
  readonly deliveryP99During: number;
  readonly deliveryP99Alone: number;
  readonly sendP99During: number;
  readonly sendP99Alone: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Adds `count` patients with active portal accounts, named plainly, as the host system would. */
async function seedRecipients(owner: Sql, clinicId: string, count: number): Promise<void> {
  await owner`insert into patients (clinic_id, id, name, email, mobile_phone, sms_consent, portal_account)
    select ${clinicId}, gen_random_uuid()::text, 'Bench Recipient ' || n, 'recipient' || n || '@bench.test', null, false, 'active'
      from generate_series(1, ${count}) as n`;
}

export async function broadcastFigure(input: BroadcastFigureInput): Promise<BroadcastFigure> {
  await seedRecipients(input.owner, input.clinicId, input.recipients);
  // The chat's sends and the progress reads on connections of their own: neither waits for the other.
  const agent = keepAliveAgent(256);
  const reportAgent = keepAliveAgent(1);
  const trpc = async (path: string, body: unknown, cookie: string) => {
    const answer = await call(agent, new URL(`/trpc/${path}`, input.aUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin: input.origin, cookie },
      body: JSON.stringify(body),
    });
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body.slice(0, 200)}`);
    return (JSON.parse(answer.body) as { result: { data: unknown } }).result.data;
  };
  const report = async (broadcastId: string) => {
    const query = encodeURIComponent(JSON.stringify({ broadcastId, limit: 1 }));
    const answer = await call(reportAgent, new URL(`/trpc/broadcasts.report?input=${query}`, input.aUrl), {
      headers: { cookie: input.adminCookie },
    });
    if (answer.status !== 200) throw new Error(`report: ${answer.status}`);
    return (
      JSON.parse(answer.body) as {
        result: { data: { broadcast: { state: string; progress: Record<string, number> } } };
      }
    ).result.data.broadcast;
  };

  const liveChat = await openLiveChat({
    sendUrl: input.aUrl,
    streamUrl: input.bUrl,
    origin: input.origin,
    senderCookie: input.senderCookie,
    patientCookie: input.patientCookie,
    conversationId: input.conversationId,
    rate: input.chatRate,
    tag: "f5",
    log: input.log,
  });

  try {
    // The broadcast first, so the chat alone can run as long as the broadcast took.
    const sent = (await trpc(
      "broadcasts.send",
      {
        clientId: randomUUID(),
        content: { kind: "text", text: "The clinic is closed on Friday for the holiday. (bench)" },
        audience: { kind: "activePortal" },
        sendAt: null,
      },
      input.adminCookie,
    )) as { id: string; progress: { waiting: number } };
    const t0 = wallNow();
    let done = false;
    let logged = t0;
    const watcher = (async () => {
      while (!done) {
        const b = await report(sent.id);
        if (b.state === "done" || b.state === "cancelled") done = true;
        else await sleep(500);
        if (wallNow() - logged > 30_000) {
          logged = wallNow();
          const elapsed = (logged - t0) / 1000;
          const so = b.progress.sent ?? 0;
          input.log(`   … ${so} sent after ${elapsed.toFixed(0)} s (${(so / elapsed).toFixed(1)} msg/s)`);
        }
      }
    })();
    const during = await liveChat.run("during", () => !done, input.chatSeconds * 1000);
    input.log(
      `   chat during the broadcast: ack → event p99 ${during.delivery.toFixed(1)} ms, send p99 ${during.send.toFixed(1)} ms`,
    );
    await watcher;
    const seconds = (wallNow() - t0) / 1000;
    const final = await report(sent.id);
    const alone = await liveChat.run("alone", () => true, input.chatSeconds * 1000);
    input.log(
      `   broadcast to ${sent.progress.waiting} recipients: ${final.progress.sent} sent in ${seconds.toFixed(1)} s; ` +
        `live chat at ${input.chatRate} msg/s: ${during.count} messages during it, ${alone.count} alone`,
    );
    return {
      messagesPerSecond: (final.progress.sent ?? 0) / seconds,
      seconds,
      deliveryP99During: during.delivery,
      deliveryP99Alone: alone.delivery,
      sendP99During: during.send,
      sendP99Alone: alone.send,
    };
  } finally {
    liveChat.close();
    agent.destroy();
    reportAgent.destroy();
  }
}
