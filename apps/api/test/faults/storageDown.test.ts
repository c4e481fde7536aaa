import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ApiClient, Outcome } from "./support/apiClient";
import { type ApiProcess, type FaultCluster, faultLine, startFaultCluster } from "./support/faultCluster";

// OPS-5 / FILE-1: object storage unreachable (s3rver stopped) while people share files. Uploads
// are refused with a sentence that says to try again, nothing is half-stored (no message whose
// file's bytes are missing), and once storage is back the same uploads go through, once each.

const senders = 4;
const rounds = 3;
let cluster: FaultCluster;
let api: ApiProcess;

beforeAll(async () => {
  cluster = await startFaultCluster({ pairs: senders });
  api = await cluster.startApi("api-a");
}, 180_000);

afterAll(async () => {
  await cluster?.close();
});

const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

/** The browser's part of sharing a file: request, PUT the bytes, confirm. */
async function shareFile(client: ApiClient, conversationId: string, clientId: string) {
  const requested = await client.mutate("files.requestUpload", {
    conversationId,
    clientId,
    fileName: "lab-results.pdf",
    sizeBytes: pdf.length,
    contentType: "application/pdf",
  });
  if (!requested.ok) return { step: "request", outcome: requested };
  const { fileId, upload } = requested.data as {
    fileId: string;
    upload: { url: string; headers: Record<string, string> };
  };
  const put = await fetch(upload.url, { method: "PUT", headers: upload.headers, body: pdf }).then(
    (answer) => answer.status,
    () => 0,
  );
  const confirmed: Outcome = await client.mutate("files.confirmUpload", { fileId });
  return { step: put === 200 ? "confirm" : "upload", outcome: confirmed, fileId, put };
}

it("OPS-5, FILE-1: storage unreachable; uploads refused with a clear message, nothing half-stored, and the same uploads succeed once storage is back", async () => {
  const clients = await Promise.all(
    cluster.clinic.pairs.map((pair) => cluster.client(api.url, pair.practitioner)),
  );
  const acknowledged = new Set<string>();
  const share = (i: number, clientId: string) =>
    shareFile(clients[i]!, cluster.clinic.pairs[i]!.conversationId, clientId);

  // Before: it works.
  for (let i = 0; i < senders; i++) {
    const clientId = randomUUID();
    const shared = await share(i, clientId);
    expect(shared.outcome.ok).toBe(true);
    acknowledged.add(clientId);
  }

  await cluster.storage.stop();
  const refusedIds: string[] = [];
  const refusals: Outcome[] = [];
  for (let round = 0; round < rounds; round++)
    for (let i = 0; i < senders; i++) {
      const clientId = randomUUID();
      const shared = await share(i, clientId);
      expect(shared.outcome.ok).toBe(false);
      refusals.push(shared.outcome);
      refusedIds.push(`${i}:${clientId}`);
    }
  // A clear, retryable answer: not "something went wrong".
  for (const refusal of refusals) {
    if (refusal.ok) continue;
    expect(refusal.code).toBe("SERVICE_UNAVAILABLE");
    expect(refusal.message).toMatch(/try again/i);
  }
  const whileDown = await cluster.inspect<{ count: string }[]>`
    select count(*)::text as count from messages
    where clinic_id = ${cluster.clinic.clinicId} and file_id is not null`;
  expect(Number(whileDown[0]!.count)).toBe(senders);

  await cluster.storage.start();
  // The same uploads again, with the same client ids, as the browser retries them.
  for (const entry of refusedIds) {
    const [i, clientId] = entry.split(":") as [string, string];
    const shared = await share(Number(i), clientId);
    expect(shared.outcome.ok, JSON.stringify(shared.outcome)).toBe(true);
    acknowledged.add(clientId);
  }

  const rows = await cluster.inspect<{ client_id: string; storage_key: string; state: string }[]>`
    select m.client_id, f.storage_key, f.state from messages m join files f on f.id = m.file_id
    where m.clinic_id = ${cluster.clinic.clinicId}`;
  const stored = new Map<string, number>();
  for (const row of rows) stored.set(row.client_id, (stored.get(row.client_id) ?? 0) + 1);
  const lost = [...acknowledged].filter((id) => !stored.has(id)).length;
  const duplicated = [...stored.values()].filter((n) => n > 1).length;
  faultLine("OPS-5 storage unreachable", {
    acknowledged: acknowledged.size,
    stored: rows.length,
    duplicated,
    lost,
  });
  process.stdout.write(
    `  refused while down: ${refusals.length} (${[...new Set(refusals.map((r) => (r.ok ? "ok" : r.code)))].join(", ")})\n`,
  );
  expect(lost).toBe(0);
  expect(duplicated).toBe(0);
  expect(rows.length).toBe(acknowledged.size);
  // Every shared file's bytes are in storage.
  for (const row of rows) {
    expect(row.state).toBe("ready");
    const head = await fetch(`${cluster.storage.endpoint}/${cluster.storage.bucket}/${row.storage_key}`, {
      method: "HEAD",
    });
    expect(head.status).toBe(200);
  }
  for (const client of clients) client.close();
}, 150_000);
