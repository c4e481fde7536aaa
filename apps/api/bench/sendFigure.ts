import { randomBytes } from "node:crypto";
import { openPostgres, uuidV7Ids } from "@clinic-chat/adapters";
import { searchTermsOf } from "@clinic-chat/domain";
import { cpuOf, origin, postgresCpu } from "./benchProcesses";
import { log, median } from "./benchTable";
import type { FigureContext } from "./figureContext";
import { knobs, messageText } from "./knobs";
import { call, closedLoop, keepAliveAgent, type LoadResult } from "./load";

/**
 * Figures 1 and 1i (those of `knobs.only`): messages.send vs the same writes as one SQL statement per
 * message; 1i, the same with the practitioner and the patient writing in turn. Answers the median
 * sends per second through the API of the last of them that ran (figure 5's baseline), else null.
 */
export async function sendFigures(context: FigureContext): Promise<number | null> {
  // As the product connects to its embedded server: through the Unix socket (the baseline too).
  const { ownerUrl, appPassword, clinic, a } = context.deployment;
  const { pgData, sendUrl, senderCookies, patientCookies, rows } = context;
  let figure1Rate: number | null = null;
  const apiRates: Partial<Record<"1" | "1i", number[]>> = {};
  await clinicHistory(context);
  for (const figure of (["1", "1i"] as const).filter((f) => knobs.only.has(f))) {
    /** Figure 1i: each send flips "Awaiting reply", so the inbox state is written on every send. */
    const inTurns = figure === "1i";
    const senderOf = (w: number, n: number) => {
      const pair = clinic.pairs[w]!;
      return inTurns && n % 2 === 1
        ? { sender: pair.patient, cookie: patientCookies[w]!, recipient: pair.practitioner }
        : { sender: pair.practitioner, cookie: senderCookies[w]!, recipient: pair.patient };
    };
    const appUrl = new URL(ownerUrl);
    appUrl.username = "clinic_chat_app";
    appUrl.password = appPassword;
    const raw = openPostgres(appUrl.toString(), {
      max: knobs.concurrency,
      onnotice: () => undefined,
      // The row-level security setting for the whole connection: the statement stays one statement.
      connection: { application_name: "clinic-chat-bench-baseline", "app.clinic_id": clinic.clinicId },
    });
    // The search-index row of the text: as many digests as a send writes for it (their values
    // are the clinic's secret; the same text gives the same digests, as here).
    const digests = searchTermsOf(messageText)
      .map(() => randomBytes(8).readBigInt64BE(0).toString())
      .join(" ");
    const apiSends: LoadResult[] = [];
    const sqlSends: LoadResult[] = [];
    /** Per message: the API process's CPU, and PostgreSQL's for each side (µs). */
    const apiCpu: number[] = [];
    const apiPgCpu: number[] = [];
    const sqlPgCpu: number[] = [];
    log(
      `\n${figure}. ${knobs.concurrency} senders, each in its own conversation (${knobs.concurrency} conversations), ` +
        `${inTurns ? "practitioner and patient in turn, " : ""}${knobs.seconds} s per run after 1 s warm-up`,
    );
    for (let run = 0; run < knobs.runs; run++) {
      const agent = keepAliveAgent(knobs.concurrency);
      let cpuBefore = await cpuOf(a.process);
      let pgBefore = postgresCpu(pgData);
      const api = await closedLoop({
        concurrency: knobs.concurrency,
        durationMs: knobs.seconds * 1000,
        warmupMs: 1000,
        maxRequests: 200_000,
        once: async (w, n) => {
          const answer = await call(agent, sendUrl, {
            method: "POST",
            headers: { "content-type": "application/json", origin, cookie: senderOf(w, n).cookie },
            body: JSON.stringify({
              conversationId: clinic.pairs[w]!.conversationId,
              clientId: `f${figure}-${run}-${w}-${n}`,
              text: messageText,
            }),
          });
          if (answer.status !== 200) throw new Error(`${answer.status} ${answer.body.slice(0, 200)}`);
        },
      });
      agent.destroy();
      apiSends.push(api);
      apiCpu.push(((await cpuOf(a.process)) - cpuBefore) / api.completed);
      apiPgCpu.push((postgresCpu(pgData) - pgBefore) / api.completed);
      cpuBefore = await cpuOf(a.process);
      pgBefore = postgresCpu(pgData);
      const direct = await closedLoop({
        concurrency: knobs.concurrency,
        durationMs: knobs.seconds * 1000,
        warmupMs: 1000,
        maxRequests: 2_000_000,
        once: async (w, n) => {
          const pair = clinic.pairs[w]!;
          const { sender, recipient } = senderOf(w, n);
          const now = new Date();
          const messageId = uuidV7Ids.newId();
          // The same writes as a send, in one statement: seq, activity time and inbox state (who
          // wrote last) of the conversation, activity time of its members, the message, its data
          // key's row and search-index row, its live event, the recipient's notification burst
          // (opened unless pending: the row is locked either way) and the message joining it, the
          // audit record.
          const rows = await raw`
            with bumped as (
              update conversations
                 set last_seq = last_seq + 1, last_activity_at = greatest(last_activity_at, ${now}),
                     last_sender_kind = ${sender.kind}
               where clinic_id = ${clinic.clinicId} and id = ${pair.conversationId}
           returning clinic_id, id, last_seq, last_activity_at),
            members as (
              update conversation_participants p
                 set last_activity_at = b.last_activity_at
                from bumped b
               where p.clinic_id = b.clinic_id and p.conversation_id = b.id
           returning p.person_id),
            message as (
              insert into messages (clinic_id, id, conversation_id, seq, client_id, sender_kind, sender_id,
                                    sent_at, body_kind, text)
              select clinic_id, ${messageId}, id, last_seq, ${`f${figure}b-${run}-${w}-${n}`}, ${sender.kind},
                     ${sender.id}, ${now}, 'text', ${messageText}
                from bumped
           returning clinic_id, id, conversation_id, seq),
            keyed as (
              insert into message_keys (clinic_id, message_id, wrapped)
              select clinic_id, id, ${randomBytes(60)} from message
           returning 1),
            indexed as (
              insert into message_search (clinic_id, message_id, conversation_id, sent_at, terms)
              select clinic_id, id, conversation_id, ${now}, string_to_array(${digests}, ' ')::bigint[]
                from message
           returning 1),
            event as (
              insert into conversation_events (clinic_id, conversation_id, type, message_id, person_kind,
                                               person_id, seq, at)
              select clinic_id, conversation_id, 'message.posted', id, ${sender.kind}, ${sender.id}, seq, ${now}
                from message
           returning id),
            burst as (
              insert into notification_states as s (clinic_id, person_kind, person_id, status, burst_id, due_at)
              values (${clinic.clinicId}, ${recipient.kind}, ${recipient.id}, 'pending', ${uuidV7Ids.newId()},
                      ${new Date(now.getTime() + 60_000)})
              on conflict (clinic_id, person_kind, person_id) do update
                 set status = 'pending', burst_id = excluded.burst_id, due_at = excluded.due_at
               where s.status <> 'pending'
           returning burst_id),
            joined as (
              insert into notification_burst_messages (clinic_id, person_kind, person_id, burst_id, message_id,
                                                       conversation_id, seq)
              select clinic_id, ${recipient.kind}, ${recipient.id},
                     coalesce((select burst_id from burst),
                              (select burst_id from notification_states
                                where clinic_id = ${clinic.clinicId} and person_kind = ${recipient.kind}
                                  and person_id = ${recipient.id})),
                     id, conversation_id, seq
                from message
           returning 1),
            audit as (
              insert into audit_log (clinic_id, actor_kind, actor_id, action, conversation_id, message_id, at,
                                     ip, outcome)
              select clinic_id, ${sender.kind}, ${sender.id}, 'message.send', conversation_id, id, ${now},
                     '127.0.0.1', 'success'
                from message
           returning 1)
            select seq from message`;
          if (rows.length !== 1) throw new Error("no row written");
        },
      });
      sqlSends.push(direct);
      sqlPgCpu.push((postgresCpu(pgData) - pgBefore) / direct.completed);
      const idleApi = ((await cpuOf(a.process)) - cpuBefore) / 1000;
      log(
        `   run ${run + 1}: API ${api.perSecond.toFixed(0)} msg/s p50 ${api.p50.toFixed(1)} p99 ${api.p99.toFixed(1)} ms` +
          ` (${api.failed} failed${api.failures[0] ? `: ${api.failures[0]}` : ""}) | SQL ${direct.perSecond.toFixed(0)}` +
          ` msg/s p50 ${direct.p50.toFixed(1)} p99 ${direct.p99.toFixed(1)} ms (${direct.failed} failed)\n` +
          `          CPU per message: API process ${apiCpu.at(-1)!.toFixed(0)} µs, PostgreSQL ${apiPgCpu.at(-1)!.toFixed(0)} µs` +
          ` | PostgreSQL ${sqlPgCpu.at(-1)!.toFixed(0)} µs (the API process used ${idleApi.toFixed(0)} ms meanwhile)`,
      );
    }
    await raw.end();
    figure1Rate = median(apiSends.map((r) => r.perSecond));
    rows.push(
      {
        figure: inTurns
          ? `1i. messages sent/s, ${knobs.concurrency} senders, practitioner and patient in turn: the inbox state written on every send (API vs the same writes as 1 SQL statement)`
          : `1. messages sent/s, ${knobs.concurrency} senders (API vs the same writes as 1 SQL statement)`,
        product: apiSends.map((r) => r.perSecond),
        baseline: sqlSends.map((r) => r.perSecond),
        unit: "msg/s",
        digits: 0,
        target: "≥ 0.6×",
        pass: (p, b) => b !== null && p >= 0.6 * b,
      },
      {
        figure: `${figure}. send p99 latency`,
        product: apiSends.map((r) => r.p99),
        baseline: sqlSends.map((r) => r.p99),
        unit: "ms",
        digits: 1,
        target: "≤ 2×",
        pass: (p, b) => b !== null && p <= 2 * b,
      },
      {
        figure: `${figure}. (PostgreSQL CPU per message, same runs)`,
        product: apiPgCpu,
        baseline: sqlPgCpu,
        unit: "µs",
        digits: 0,
        target: "—",
        pass: null,
      },
      {
        figure: `${figure}. (API process CPU per message)`,
        product: apiCpu,
        baseline: null,
        unit: "µs",
        digits: 0,
        target: "—",
        pass: null,
      },
    );
    apiRates[figure] = apiSends.map((r) => r.perSecond);
    if (inTurns && apiRates["1"])
      rows.push({
        figure: "1i. (API sends/s in turn vs figure 1's, same run: what keeping the inbox costs)",
        product: apiRates["1i"]!,
        baseline: apiRates["1"],
        unit: "msg/s",
        digits: 0,
        target: "—",
        pass: null,
      });
  }
  return figure1Rate;
}

/** Messages each conversation holds before the figures (the clinic's history). */
const historyPerConversation = 10;

/**
 * The state a live clinic's database is in: some history, and statistics. On a live system
 * autovacuum analyzes a table within a minute or so of its first writes, and every cached plan is
 * made again then; the bench's database is new, autovacuum's first pass does not reach its tables
 * within the figures, and each connection would keep the plans it made on empty tables for the
 * whole bench (a foreign key check of the search index reads every message of the clinic: see
 * docs/performance.md, "What the measurements taught").
 */
async function clinicHistory(context: FigureContext): Promise<void> {
  const { ownerUrl, clinic } = context.deployment;
  const agent = keepAliveAgent(knobs.concurrency);
  await Promise.all(
    clinic.pairs.map(async (pair, w) => {
      for (let n = 0; n < historyPerConversation; n++) {
        const answer = await call(agent, context.sendUrl, {
          method: "POST",
          headers: { "content-type": "application/json", origin, cookie: context.senderCookies[w]! },
          body: JSON.stringify({
            conversationId: pair.conversationId,
            clientId: `history-${w}-${n}`,
            text: messageText,
          }),
        });
        if (answer.status !== 200) throw new Error(`${answer.status} ${answer.body.slice(0, 200)}`);
      }
    }),
  );
  agent.destroy();
  const owner = openPostgres(ownerUrl, { max: 1, onnotice: () => undefined });
  try {
    await owner`vacuum analyze`;
  } finally {
    await owner.end();
  }
  log(
    `history: ${historyPerConversation} messages in each conversation through the API, then vacuum analyze`,
  );
}
