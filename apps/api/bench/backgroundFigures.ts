import { openPostgres } from "@clinic-chat/adapters";
import { origin, signIn } from "./benchProcesses";
import { log } from "./benchTable";
import { broadcastFigure } from "./broadcastFigure";
import type { FigureContext } from "./figureContext";
import { knobs } from "./knobs";
import { retentionFigure } from "./retentionFigure";

// Figures 5 and 6 as the table shows them: each runs beside a live chat (broadcastFigure.ts,
// retentionFigure.ts), on an owner's connections of its own.

/** Figure 5: a broadcast through A, beside figure 1's sends per second (`figure1Rate`, null if it did not run). */
export async function broadcastRows(context: FigureContext, figure1Rate: number | null): Promise<void> {
  const { ownerUrl, clinic, a, b } = context.deployment;
  const { senderCookies, patientCookies, rows } = context;
  log(
    `\n5. a broadcast to ${knobs.broadcastRecipients} patients through A; a chat at ${knobs.broadcastChatRate} msg/s ` +
      `through A to a patient's stream on B for ${knobs.broadcastChatSeconds} s, during it and alone`,
  );
  const owner = openPostgres(ownerUrl, { max: 2, onnotice: () => undefined });
  try {
    const f5 = await broadcastFigure({
      owner,
      clinicId: clinic.clinicId,
      aUrl: a.url,
      bUrl: b.url,
      origin,
      adminCookie: await signIn(a.url, clinic.admin),
      senderCookie: senderCookies[0]!,
      patientCookie: patientCookies[0]!,
      conversationId: clinic.pairs[0]!.conversationId,
      recipients: knobs.broadcastRecipients,
      chatRate: knobs.broadcastChatRate,
      chatSeconds: knobs.broadcastChatSeconds,
      log,
    });
    rows.push(
      {
        figure: `5. broadcast copies/s to ${knobs.broadcastRecipients} recipients (vs figure 1's sends/s)`,
        product: [f5.messagesPerSecond],
        baseline: figure1Rate === null ? null : [figure1Rate],
        unit: "msg/s",
        digits: 0,
        target: "—",
        pass: null,
      },
      {
        figure: "5. live chat ack → event p99 during the broadcast (vs the same chat alone)",
        product: [f5.deliveryP99During],
        baseline: [f5.deliveryP99Alone],
        unit: "ms",
        digits: 1,
        target: "< 100 ms",
        pass: (p) => p < 100,
      },
      {
        figure: "5. (live chat send p99 during the broadcast vs alone)",
        product: [f5.sendP99During],
        baseline: [f5.sendP99Alone],
        unit: "ms",
        digits: 1,
        target: "—",
        pass: null,
      },
    );
  } finally {
    await owner.end();
  }
}

/** Figure 6: the daily retention run as A's job, beside a live chat. */
export async function retentionRows(context: FigureContext): Promise<void> {
  const { ownerUrl, clinic, a, b } = context.deployment;
  const { senderCookies, patientCookies, rows } = context;
  log(
    `\n6. the retention run of ${knobs.retentionMessages} messages past the period (${knobs.retentionFiles} files) ` +
      `as A's daily job; a chat at ${knobs.retentionChatRate} msg/s through A to a patient's stream on B, ` +
      `during it (at most ${knobs.retentionChatSeconds} s) and alone as long right after`,
  );
  const owner = openPostgres(ownerUrl, { max: 2, onnotice: () => undefined });
  try {
    const f6 = await retentionFigure({
      owner,
      ownerUrl,
      clinicId: clinic.clinicId,
      aUrl: a.url,
      bUrl: b.url,
      origin,
      adminCookie: await signIn(a.url, clinic.admin),
      senderCookie: senderCookies[0]!,
      patientCookie: patientCookies[0]!,
      conversationId: clinic.pairs[0]!.conversationId,
      chatRate: knobs.retentionChatRate,
      chatSeconds: knobs.retentionChatSeconds,
      log,
    });
    rows.push(
      {
        figure: "6. live chat ack → event p99 during the retention run (vs the same chat alone)",
        product: [f6.deliveryP99During],
        baseline: [f6.deliveryP99Alone],
        unit: "ms",
        digits: 1,
        target: "≤ 1.5×",
        pass: (p, b) => b !== null && p <= 1.5 * b,
      },
      {
        figure: "6. (live chat send p99 during the retention run vs alone)",
        product: [f6.sendP99During],
        baseline: [f6.sendP99Alone],
        unit: "ms",
        digits: 1,
        target: "—",
        pass: null,
      },
      {
        figure: `6. retention run: messages deleted/s (${f6.deletedMessages} messages, ${f6.deletedFiles} files, ${f6.seconds.toFixed(1)} s)`,
        product: [f6.messagesPerSecond],
        baseline: null,
        unit: "msg/s",
        digits: 0,
        target: "—",
        pass: null,
      },
    );
  } finally {
    await owner.end();
  }
}
