import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shareFile, startTestProduct, type TestProduct, tinyPdf } from "./support/product";
import { phi, phiMarkers } from "./support/world";

/** A client address planted in X-Forwarded-For (a documentation range, RFC 5737). */
const plantedAddress = "198.51.100.23";
/** An IPv4 address, or an IPv6 one (the loopback or a v4-mapped address among them). */
const ipAddress = /\b\d{1,3}(\.\d{1,3}){3}\b|::ffff:|\b::1\b|\b[0-9a-f]{1,4}(:[0-9a-f]{0,4}){5,7}\b/i;

let t: TestProduct;
beforeAll(async () => {
  t = await startTestProduct({ METRICS_PORT: "0" });
});
afterAll(async () => {
  await t?.stop();
});

async function scrape(): Promise<{ status: number; type: string | null; body: string }> {
  const url = t.product.metricsUrl;
  if (!url) throw new Error("the product was started without metrics");
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

/** The value of the one sample whose line starts with `series` (name and labels as written). */
function sample(body: string, series: string): number | undefined {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("metrics (OPS-4)", () => {
  it("OPS-4: /metrics answers in Prometheus text format on its own port, and the public port has no /metrics", async () => {
    const { status, type, body } = await scrape();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain("# TYPE clinic_chat_http_requests_total counter");
    expect(body).toContain("# TYPE clinic_chat_nodejs_eventloop_lag_seconds gauge");
    expect(body).toContain("# TYPE clinic_chat_live_streams gauge");
    expect(new URL(t.product.metricsUrl ?? "").port).not.toBe(new URL(t.url).port);
    // The public port has no metrics: a 404, or the web app's page when it serves a built app.
    const publicPort = await fetch(new URL("/metrics", t.url));
    expect(publicPort.headers.get("content-type")).not.toMatch(/version=0\.0\.4/);
    expect(await publicPort.text()).not.toContain("clinic_chat_");
    expect((await fetch(new URL("/other", t.product.metricsUrl ?? ""))).status).toBe(404);
  });

  it("OPS-4: sends count per procedure and status, and the queues show their depth", async () => {
    const { a } = t.world;
    const doctor = await t.signInStaff(a.doctor);
    const series = 'clinic_chat_http_requests_total{route="trpc",procedure="messages.send",status="200"}';
    const before = sample((await scrape()).body, series) ?? 0;
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    for (const n of [1, 2, 3])
      await doctor.trpc.messages.send.mutate({
        conversationId: conversation.id,
        clientId: `m-${n}`,
        text: `hello ${n}`,
      });
    const { body } = await scrape();
    expect(sample(body, series)).toBe(before + 3);
    expect(body).toMatch(
      /^clinic_chat_http_request_duration_seconds_count\{route="trpc",procedure="messages\.send"\} \d+$/m,
    );
    // The notification timers of those sends wait in their queue (NOTIF-1's delay).
    expect(body).toMatch(/^clinic_chat_queue_jobs\{queue="[a-z.-]+",state="deferred"\} \d+$/m);
  });

  it("OPS-4: a live event written to a stream is timed from its event's time; notification outcomes are counted by channel", async () => {
    const { a } = t.world;
    const doctor = await t.signInStaff(a.nurse);
    const patient = await t.signInPatient(a.patient);
    const lagCount = /^clinic_chat_live_delivery_lag_seconds_count (\d+)$/m;
    const before = Number(lagCount.exec((await scrape()).body)?.[1] ?? 0);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    const stream = new AbortController();
    const response = await fetch(new URL("/trpc/live.events", t.url), {
      headers: patient.headers(),
      signal: stream.signal,
    });
    const reader = response.body!.getReader();
    let seen = "";
    const read = async (what: string) => {
      while (!seen.includes(what)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${what}`);
        seen += new TextDecoder().decode(value);
      }
    };
    await read('"ready"');
    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "lag-1",
      text: "hi",
    });
    await read("message.posted");
    stream.abort();
    const { body } = await scrape();
    expect(Number(lagCount.exec(body)?.[1])).toBeGreaterThan(before);
    expect(body).toContain("# TYPE clinic_chat_notifications_total counter");
    expect(body).toMatch(/^clinic_chat_db_pool_connections\{state="max"\} 10$/m);
    expect(body).toMatch(/^clinic_chat_db_pool_connections\{state="in_use"\} \d+$/m);
  });

  it("OPS-4 SEC-5: planted PHI (names, texts, file names, emails, client IP addresses) never appears in a metric's name, label or value", async () => {
    const { a } = t.world;
    const doctor = await t.signInStaff(a.doctor);
    const patient = await t.signInPatient(a.patient);
    await doctor.trpc.people.search.mutate({ kind: "patient", query: phi.patientMarker, limit: 5 });
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "phi-1",
      text: phi.messageText,
    });
    const shared = await shareFile(doctor, conversation.id, {
      name: phi.fileName,
      bytes: tinyPdf,
      contentType: "application/pdf",
      clientId: "phi-f",
    });
    await shared.confirm();
    await patient.trpc.conversations.history.query({ conversationId: conversation.id, limit: 20 });
    // A caller's own text in the path and the query string of a request.
    await fetch(new URL(`/trpc/${encodeURIComponent(phi.textMarker)}?input=${phi.fileMarker}`, t.url));
    await fetch(new URL(`/${phi.patientMarker}`, t.url));
    // A client's address as a proxy reports it (an identifier under HIPAA).
    await fetch(new URL("/health", t.url), { headers: { "x-forwarded-for": plantedAddress } });

    const { body } = await scrape();
    // No address at all: neither the planted one nor the loopback peer of every request.
    expect(body).not.toContain(plantedAddress);
    expect(body).not.toMatch(ipAddress);
    const decoded = decodeURIComponent(body);
    for (const marker of [...phiMarkers, a.patient.email ?? "", a.doctor.email, a.patient.name]) {
      expect(marker).not.toBe("");
      expect(body).not.toContain(marker);
      expect(decoded).not.toContain(marker);
    }
    // Unknown procedures are counted without their name.
    expect(body).toMatch(/^clinic_chat_http_requests_total\{route="trpc",procedure="",status="404"\} \d+$/m);
  });
});
