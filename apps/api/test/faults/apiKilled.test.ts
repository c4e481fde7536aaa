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

// OPS-5 / MSG-1: an API process killed with SIGKILL while 32 clients send. A client whose send
// gets no answer sends it again, with the same client id, to the other process (as a browser
// behind a load balancer does); nothing acknowledged is lost and nothing is stored twice.

const senders = 32;
let cluster: FaultCluster;
let a: ApiProcess;
let b: ApiProcess;

beforeAll(async () => {
  cluster = await startFaultCluster({ pairs: senders });
  [a, b] = await Promise.all([cluster.startApi("api-a"), cluster.startApi("api-b")]);
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

it("OPS-5, MSG-1: an API process killed with SIGKILL mid-send; every acknowledged message is stored once, every retried one once", async () => {
  const clients: ApiClient[] = [];
  for (const pair of cluster.clinic.pairs) clients.push(await cluster.client(a.url, pair.practitioner));
  const acknowledged = new Map<string, string>(); // client id → message id
  const retried = new Set<string>();
  const refusals: string[] = [];
  let stop = false;

  const sendLoop = async (client: ApiClient, conversationId: string) => {
    while (!stop) {
      const clientId = randomUUID();
      for (let attempt = 0; ; attempt++) {
        const outcome = await client.mutate("messages.send", {
          conversationId,
          clientId,
          text: "Your results are in; please call us. (fault test)",
        });
        if (outcome.ok) {
          acknowledged.set(clientId, (outcome.data as { id: string }).id);
          break;
        }
        refusals.push(outcome.code);
        if (attempt >= 20) throw new Error(`a send was refused 20 times: ${outcome.code}`);
        // No answer: the same send again, to the process still running.
        retried.add(clientId);
        client.url = b.url;
        await sleep(50);
      }
    }
  };
  const loops = clients.map((client, i) => sendLoop(client, cluster.clinic.pairs[i]!.conversationId));

  await waitUntil("100 sends are acknowledged", () => acknowledged.size >= 100, 60_000);
  await a.kill();
  const atKill = acknowledged.size;
  await waitUntil("100 more sends are acknowledged", () => acknowledged.size >= atKill + 100, 60_000);
  stop = true;
  await Promise.all(loops);
  for (const client of clients) client.close();

  const rows = await cluster.inspect<{ client_id: string; id: string }[]>`
    select client_id, id from messages where clinic_id = ${cluster.clinic.clinicId}`;
  const storedByClientId = new Map<string, string[]>();
  for (const row of rows)
    storedByClientId.set(row.client_id, [...(storedByClientId.get(row.client_id) ?? []), row.id]);
  const lost = [...acknowledged.keys()].filter((clientId) => !storedByClientId.has(clientId)).length;
  const duplicated = [...storedByClientId.values()].filter((ids) => ids.length > 1).length;
  faultLine("OPS-5 API process killed", {
    acknowledged: acknowledged.size,
    stored: rows.length,
    duplicated,
    lost,
  });
  process.stdout.write(
    `  retried sends: ${retried.size}; refusals seen: ${[...new Set(refusals)].join(", ")}\n`,
  );

  expect(lost).toBe(0);
  expect(duplicated).toBe(0);
  // Every send was eventually acknowledged, so every stored message is an acknowledged one...
  expect(rows.length).toBe(acknowledged.size);
  // ...with the id its acknowledgement named, retried ones included (MSG-1).
  for (const [clientId, messageId] of acknowledged)
    expect(storedByClientId.get(clientId)).toEqual([messageId]);
  expect(retried.size).toBeGreaterThan(0);
}, 150_000);
