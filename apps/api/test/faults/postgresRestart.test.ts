import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ApiClient } from "./support/apiClient";
import {
  type ApiProcess,
  type FaultCluster,
  faultLine,
  sleep,
  startFaultCluster,
  waitUntil,
} from "./support/faultCluster";
import { LiveReader } from "./support/liveReader";

// OPS-5 / MSG-2: PostgreSQL restarted (fast shutdown) while practitioners send through one API
// process and their patients' live streams are open on another. While it is down the API answers
// errors a client may retry; both processes reconnect by themselves; each stream, resumed with
// Last-Event-ID as the browser's EventSource does, gets every message once, in order.

const pairs = 8;
let cluster: FaultCluster;
let a: ApiProcess;
let b: ApiProcess;

beforeAll(async () => {
  cluster = await startFaultCluster({ pairs });
  [a, b] = await Promise.all([cluster.startApi("api-a"), cluster.startApi("api-b")]);
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

/** Codes a client may meet while the database is down, and retry: the service is unavailable. */
const retryable = new Set(["SERVICE_UNAVAILABLE"]);

it("OPS-5, MSG-2: PostgreSQL restarted under sends and open streams; retryable errors meanwhile, then nothing lost, duplicated or out of order", async () => {
  const senders: ApiClient[] = [];
  const readers: LiveReader[] = [];
  for (const pair of cluster.clinic.pairs) {
    senders.push(await cluster.client(a.url, pair.practitioner));
    readers.push(new LiveReader(await cluster.client(b.url, pair.patient)));
  }
  await waitUntil("every stream is caught up", () => readers.every((r) => r.readyCount >= 1), 30_000);

  const acknowledged = cluster.clinic.pairs.map(() => [] as string[]);
  const refusals = new Map<string, number>();
  let stop = false;
  const sendLoop = async (i: number) => {
    const client = senders[i]!;
    while (!stop) {
      const clientId = randomUUID();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const outcome = await client.mutate("messages.send", {
          conversationId: cluster.clinic.pairs[i]!.conversationId,
          clientId,
          text: "Please book a follow-up. (fault test)",
        });
        if (outcome.ok) {
          acknowledged[i]!.push((outcome.data as { id: string }).id);
          break;
        }
        refusals.set(outcome.code, (refusals.get(outcome.code) ?? 0) + 1);
        if (Date.now() > deadline)
          throw new Error(`a send was refused for a minute: ${outcome.code}\n${cluster.logOf("api-a")}`);
        await sleep(250);
      }
      await sleep(100);
    }
  };
  const loops = senders.map((_, i) => sendLoop(i));
  const total = () => acknowledged.reduce((sum, ids) => sum + ids.length, 0);

  await waitUntil("40 sends are acknowledged", () => total() >= 40, 30_000);
  await cluster.pg.restart(2_000);
  const atRestart = total();
  await waitUntil(
    "80 more sends are acknowledged after the restart",
    () => total() >= atRestart + 80,
    60_000,
  );
  stop = true;
  await Promise.all(loops);
  await waitUntil(
    "every stream has every acknowledged message",
    () => readers.every((reader, i) => acknowledged[i]!.every((id) => reader.messageIds.includes(id))),
    30_000,
  ).catch(async (error: unknown) => {
    const activity =
      await cluster.inspect`select pid, usename, application_name, state, wait_event, left(query, 80) as query, now() - state_change as since from pg_stat_activity where datname is not null`;
    process.stdout.write(`${JSON.stringify(activity, null, 0)}\n`);
    process.stdout.write(
      `${readers.map((r, i) => `${r.messageIds.length}/${acknowledged[i]!.length} (${r.reconnects} reconnects, ${r.readyCount} ready)`).join(" ")}\n${cluster.logOf("api-b")}\n`,
    );
    throw error;
  });
  for (const reader of readers) reader.close();
  for (const sender of senders) sender.close();

  const rows = await cluster.inspect<{ count: string }[]>`
    select count(*)::text as count from messages where clinic_id = ${cluster.clinic.clinicId}`;
  const stored = Number(rows[0]!.count);
  const all = acknowledged.flat();
  const duplicated = readers.reduce((sum, r) => sum + r.messageIds.length - new Set(r.messageIds).size, 0);
  const lost = readers.reduce(
    (sum, reader, i) => sum + acknowledged[i]!.filter((id) => !reader.messageIds.includes(id)).length,
    0,
  );
  faultLine("OPS-5 PostgreSQL restarted", { acknowledged: all.length, stored, duplicated, lost });
  const streamEnds = new Map<string, number>();
  for (const reader of readers)
    for (const [code, n] of reader.errorEnds) streamEnds.set(code, (streamEnds.get(code) ?? 0) + n);
  const counted = (codes: Map<string, number>) => [...codes].map(([code, n]) => `${code} ×${n}`).join(", ");
  process.stdout.write(
    `  refusals while down: ${counted(refusals)}; stream reconnects: ${readers.reduce((s, r) => s + r.reconnects, 0)}, ended by ${counted(streamEnds) || "no error frame"}\n`,
  );
  expect(lost).toBe(0);
  expect(duplicated).toBe(0);
  expect(stored).toBe(all.length);
  // The sends met the outage, and every answer they got meanwhile says "try again".
  expect(refusals.size).toBeGreaterThan(0);
  for (const code of refusals.keys()) expect(retryable.has(code) || code === "NETWORK", code).toBe(true);
  // A stream the outage ends says the same: the service is unavailable for a moment.
  for (const code of streamEnds.keys()) expect(retryable.has(code), `a stream ended with ${code}`).toBe(true);
  // In order: each stream's messages in the order of their tracked ids, which is the send order.
  for (const [i, reader] of readers.entries()) {
    const positions = reader.eventIds.map(Number);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(reader.messageIds).toEqual(acknowledged[i]);
  }
}, 150_000);
