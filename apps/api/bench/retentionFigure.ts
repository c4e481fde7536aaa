import { retentionQueueName, startBoss } from "@clinic-chat/adapters";
import { type Actor, createClinicChat } from "@clinic-chat/domain";
import type { Sql } from "postgres";
import { appRole, type RunningProduct } from "../src/start/startProduct";
import { openLiveChat } from "./liveChat";
import { call, keepAliveAgent, wallNow } from "./load";
import type { BenchClinic } from "./seed";

// Figure 6 (REC-3): the daily retention run of a clinic with many messages past its period (one
// year, set by the clinic's admin through the API), run by the product's own pg-boss job in
// process A, while a paced staff→patient chat goes through A to the patient's stream on B: the
// chat's p99 from the send's answer to the event during the run, beside the same chat alone right
// after it for as long (same run, same machine); and the run's messages deleted per second, from
// its start to its `retention.run` audit record.

/** What the seeding needs: the product in the bench's process, and the owner's connection. */
export interface ExpiredSeedInput {
  readonly product: Pick<RunningProduct, "domain">;
  readonly owner: Sql;
  readonly clinic: BenchClinic;
  /** Messages past the period, spread over every patient chat but the first (the live one). */
  readonly messages: number;
  /** Of which files (plain text), shared as a person shares one. */
  readonly files: number;
  readonly log: (line: string) => void;
}

/**
 * Sends `messages` through the domain as the practitioners (one unit of work per round, one
 * message per conversation), shares `files` text files and dates all of them two years back.
 * Messages sent through the domain are sealed as the product seals them, so the run reads and
 * erases them as it would a clinic's. The period is set by the figure itself, so a daily job
 * falling during the other figures finds nothing to do.
 */
export async function seedExpiredMessages(input: ExpiredSeedInput): Promise<void> {
  const { domain } = input.product;
  const chat = createClinicChat(domain);
  const { clinic } = input;
  const old = clinic.pairs.slice(1);
  if (old.length === 0) throw new Error("figure 6 needs at least two patient chats");
  const actor = (staffId: string): Actor => ({
    clinicId: clinic.clinicId,
    person: { kind: "staff", id: staffId },
    ip: null,
  });
  const started = wallNow();
  const fileEvery = input.files > 0 ? Math.max(1, Math.floor(input.messages / input.files)) : 0;
  let sent = 0;
  let files = 0;
  for (let round = 0; sent < input.messages; round++) {
    const texts = Math.min(old.length, input.messages - sent);
    // A file takes the place of one text, so the count stays as asked.
    const fileDue = fileEvery > 0 && files < input.files && sent + texts >= (files + 1) * fileEvery;
    const group = old.slice(0, texts - (fileDue ? 1 : 0));
    const outcomes = await chat.sendMessages(
      group.map((pair) => ({
        actor: actor(pair.practitioner.id),
        input: {
          conversationId: pair.conversationId,
          clientId: `f6-old-${round}-${pair.conversationId}`,
          text: `f6-old-${round} Your lab results are in; please book a follow-up. (bench)`,
        },
      })),
    );
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) throw failed.error;
    sent += group.length;
    if (fileDue) {
      const pair = old[files % old.length]!;
      const bytes = new TextEncoder().encode(`Referral notes ${files} (bench)\n`);
      const request = await chat.requestFileUpload(actor(pair.practitioner.id), {
        conversationId: pair.conversationId,
        clientId: `f6-file-${files}`,
        fileName: `referral-${files}.txt`,
        sizeBytes: bytes.length,
        contentType: "text/plain",
      });
      const put = await fetch(request.upload.url, {
        method: request.upload.method,
        headers: request.upload.headers,
        body: bytes,
      });
      if (!put.ok) throw new Error(`figure 6: the upload was refused (${put.status})`);
      await chat.confirmFileUpload(actor(pair.practitioner.id), { fileId: request.fileId });
      files++;
      sent++;
    }
    if (round % 50 === 0 && round > 0)
      input.log(
        `   … ${sent} old messages sent (${((sent * 1000) / (wallNow() - started)).toFixed(0)} msg/s)`,
      );
  }
  await input.owner`update messages set sent_at = sent_at - interval '2 years'
    where clinic_id = ${clinic.clinicId} and conversation_id in ${input.owner(old.map((p) => p.conversationId))}`;
  input.log(
    `   seeded ${sent} messages (${files} files) two years old in ${old.length} patient chats in ` +
      `${((wallNow() - started) / 1000).toFixed(1)} s`,
  );
}

/** What the figure needs from the bench's run. */
export interface RetentionFigureInput {
  readonly owner: Sql;
  readonly ownerUrl: string;
  readonly clinicId: string;
  readonly aUrl: string;
  readonly bUrl: string;
  readonly origin: string;
  /** An admin's session: the figure sets the retention period as the admin would. */
  readonly adminCookie: string;
  readonly senderCookie: string;
  readonly patientCookie: string;
  readonly conversationId: string;
  /** Live chat messages per second, during the run and alone. */
  readonly chatRate: number;
  /** At most this long for the chat during the run (the run may go on after it). */
  readonly chatSeconds: number;
  readonly log: (line: string) => void;
}

/** The figure's numbers. */
export interface RetentionFigure {
  readonly deletedMessages: number;
  readonly deletedFiles: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly deliveryP99During: number;
  readonly deliveryP99Alone: number;
  readonly sendP99During: number;
  readonly sendP99Alone: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function retentionFigure(input: RetentionFigureInput): Promise<RetentionFigure> {
  const { owner, clinicId } = input;
  const runRow = async () =>
    (
      await owner<{ startedAt: Date; deleted: number }[]>`
        select started_at as "startedAt", deleted_messages as deleted from retention_runs where clinic_id = ${clinicId}`
    )[0] ?? null;
  const liveChat = await openLiveChat({
    sendUrl: input.aUrl,
    streamUrl: input.bUrl,
    origin: input.origin,
    senderCookie: input.senderCookie,
    patientCookie: input.patientCookie,
    conversationId: input.conversationId,
    rate: input.chatRate,
    tag: "f6",
    log: input.log,
  });
  try {
    const adminAgent = keepAliveAgent(1);
    const set = await call(adminAgent, new URL("/trpc/records.setRetention", input.aUrl), {
      method: "POST",
      headers: { "content-type": "application/json", origin: input.origin, cookie: input.adminCookie },
      body: JSON.stringify({ period: { amount: 1, unit: "years" } }),
    }).finally(() => adminAgent.destroy());
    if (set.status !== 200) throw new Error(`records.setRetention: ${set.status} ${set.body.slice(0, 200)}`);
    // The day's job, sent now rather than at 03:30: process A's retention worker takes it at its
    // next poll, as it would take the cron's.
    const boss = await startBoss({ ownerUrl: input.ownerUrl, appRole });
    try {
      await boss.send(retentionQueueName, null);
    } finally {
      await boss.stop({ graceful: false });
    }
    let run = await runRow();
    for (let waited = 0; !run && waited < 120_000; waited += 100) {
      await sleep(100);
      run = await runRow();
    }
    if (!run) throw new Error("figure 6: the retention job did not start within 2 minutes");
    let running = true;
    let logged = wallNow();
    const watcher = (async () => {
      while (running) {
        const now = await runRow();
        if (!now) running = false;
        else await sleep(250);
        if (now && wallNow() - logged > 30_000) {
          logged = wallNow();
          input.log(
            `   … ${now.deleted} deleted after ${((logged - run.startedAt.getTime()) / 1000).toFixed(0)} s`,
          );
        }
      }
    })();
    const chatStarted = wallNow();
    const during = await liveChat.run("during", () => running, input.chatSeconds * 1000);
    const chatMs = wallNow() - chatStarted;
    input.log(
      `   chat during the run: ack → event p99 ${during.delivery.toFixed(1)} ms, send p99 ${during.send.toFixed(1)} ms ` +
        `(${during.count} messages)`,
    );
    await watcher;
    const [record] = await owner<{ at: Date; reason: string }[]>`
      select at, reason from audit_log where clinic_id = ${clinicId} and action = 'retention.run'
       order by at desc limit 1`;
    if (!record) throw new Error("figure 6: the run ended without its audit record");
    const counts = /messages=(\d+) files=(\d+)/.exec(record.reason);
    const deletedMessages = Number(counts?.[1] ?? Number.NaN);
    const seconds = (record.at.getTime() - run.startedAt.getTime()) / 1000;
    const alone = await liveChat.run("alone", () => true, Math.max(10_000, chatMs));
    input.log(
      `   retention run: ${deletedMessages} messages (${counts?.[2]} files) deleted in ${seconds.toFixed(1)} s; ` +
        `live chat at ${input.chatRate} msg/s: ${during.count} messages during it, ${alone.count} alone; ` +
        `alone: ack → event p99 ${alone.delivery.toFixed(1)} ms`,
    );
    return {
      deletedMessages,
      deletedFiles: Number(counts?.[2] ?? Number.NaN),
      seconds,
      messagesPerSecond: deletedMessages / seconds,
      deliveryP99During: during.delivery,
      deliveryP99Alone: alone.delivery,
      sendP99During: during.send,
      sendP99Alone: alone.send,
    };
  } finally {
    liveChat.close();
  }
}
