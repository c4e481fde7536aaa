import { createServer, type Server } from "node:http";
import { type AddressInfo, isIP } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTracing, type Tracing } from "../src/tracing/startTracing";
import { shareFile, startTestProduct, type TestProduct, tinyPdf } from "./support/product";
import { phi, phiMarkers } from "./support/world";

/** One span as OTLP/HTTP's JSON carries it (the fields these tests read). */
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly { key: string; value: Record<string, unknown> }[];
}

/** A client address planted in X-Forwarded-For (a documentation range, RFC 5737). */
const plantedAddress = "198.51.100.23";
const serverKind = 2;
const clientKind = 3;

/** A local OTLP/HTTP receiver: every body posted to /v1/traces, as sent. */
let receiver: Server;
const bodies: string[] = [];
let tracing: Tracing;
let t: TestProduct;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        expect(req.headers["content-type"]).toMatch(/^application\/json/);
        bodies.push(Buffer.concat(chunks).toString("utf8"));
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  tracing = await startTracing(`http://127.0.0.1:${port}`);
  t = await startTestProduct();
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await tracing?.shutdown();
  await new Promise((resolve) => receiver?.close(resolve));
});

function receivedSpans(): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  for (const body of bodies) {
    const parsed = JSON.parse(body) as {
      resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
    };
    for (const resource of parsed.resourceSpans)
      for (const scope of resource.scopeSpans) spans.push(...scope.spans);
  }
  return spans;
}

describe("traces (OPS-4)", () => {
  it("OPS-4 SEC-5: spans go out over OTLP/HTTP as HTTP request → procedure → SQL, and planted PHI (names, texts, file names, emails, client IP addresses) is in none of them", async () => {
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
    // A caller's own text in the path and in the query string of requests.
    const input = encodeURIComponent(JSON.stringify({ query: phi.patientMarker, email: a.patient.email }));
    await fetch(new URL(`/trpc/people.search?input=${input}`, t.url));
    await fetch(new URL(`/trpc/${encodeURIComponent(phi.textMarker)}?input=${phi.fileMarker}`, t.url));
    await fetch(new URL(`/${phi.patientMarker}`, t.url));
    // A client's address as a proxy reports it (an identifier under HIPAA).
    await fetch(new URL("/health", t.url), { headers: { "x-forwarded-for": plantedAddress } });
    await tracing.flush();

    const spans = receivedSpans();
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: OtlpSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    // HTTP → procedure → SQL, for a read and for a write of the use cases.
    for (const procedure of ["conversations.history", "conversations.startWithPatient"]) {
      const procedureSpans = spans.filter((span) => span.name === `procedure ${procedure}`);
      expect(procedureSpans.length, procedure).toBeGreaterThan(0);
      const chained = procedureSpans.filter((span) => {
        const http = parentOf(span);
        const sql = spans.filter((s) => parentOf(s) === span && s.name.startsWith("db "));
        return http?.kind === serverKind && sql.length > 0 && sql.every((s) => s.kind === clientKind);
      });
      expect(chained.length, procedure).toBeGreaterThan(0);
    }
    const statement = spans.find((span) => span.name === "db select");
    expect(statement?.attributes?.find((at) => at.key === "db.query.text")?.value).toMatchObject({
      stringValue: expect.stringMatching(/^select /i),
    });

    // The requests with a caller's text in their URL are traced, by their route only.
    const attribute = (span: OtlpSpan, key: string) =>
      span.attributes?.find((at) => at.key === key)?.value.stringValue;
    const searched = spans.filter(
      (span) => span.kind === serverKind && attribute(span, "url.path") === "/trpc/people.search",
    );
    expect(searched.map((span) => attribute(span, "url.query"))).toContain("input=REDACTED");
    expect(spans.some((span) => attribute(span, "url.path") === "/trpc/…")).toBe(true);

    // No network address in any attribute: neither the planted client address nor the loopback
    // peer (and server) of every request.
    expect(spans.some((span) => attribute(span, "url.path") === "/health")).toBe(true);
    for (const span of spans)
      for (const at of span.attributes ?? []) {
        expect(at.key, span.name).not.toMatch(/(^|\.)(client|peer|sock)\.|client_ip|\.host\.ip/);
        expect(isIP(String(at.value.stringValue ?? "")), `${span.name} ${at.key}`).toBe(0);
      }
    const all = bodies.join("\n");
    expect(all).not.toContain(plantedAddress);
    expect(all).not.toContain("127.0.0.1");
    // Percent-encoded runs decoded where they decode (SQL's own `%` stays as it is).
    const decoded = all.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    const markers = [...phiMarkers, phi.messageText, phi.fileName, a.patient.email ?? "", a.doctor.email];
    for (const marker of [...markers, a.patient.name, a.doctor.name]) {
      expect(marker).not.toBe("");
      expect(all).not.toContain(marker);
      expect(decoded).not.toContain(marker);
    }
  });
});
