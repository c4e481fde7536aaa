import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../src/router";
import { createCallerFactory, createContextInner } from "../../src/trpc";
import { sessionHeaders } from "../support/sessions";
import {
  type LiveClient,
  type LiveCluster,
  type LiveProcess,
  startLiveCluster,
  within,
} from "./support/liveCluster";

let cluster: LiveCluster;
/** The product path: live.events over the hand-written SSE endpoint. */
let sse: LiveProcess;
/** The reference: the same process without it, so tRPC's own SSE serves live.events. */
let reference: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster();
  sse = await cluster.startProcess("sse");
  reference = await cluster.startProcess("trpc", 0, { sse: false });
});
afterAll(async () => {
  await cluster?.close();
});

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw GET of the stream, read until it ends or until its `ready` frame is complete. */
function rawStream(url: string, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  return within(
    new Promise<RawAnswer>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        { headers: { accept: "text/event-stream", ...headers } },
        (res) => {
          let body = "";
          const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            body += chunk;
            if (/data: \{"type":"ready"\}\nid: \d+\n\n\n$/.test(body)) {
              done();
              res.destroy();
            }
          });
          res.on("end", done);
        },
      );
      req.on("error", reject);
      req.end();
    }),
    `the stream at ${path}`,
  );
}

const comparedHeaders = [
  "content-type",
  "cache-control",
  "x-accel-buffering",
  "connection",
  "vary",
  // SEC-7: the headers every response of the server carries, sent with the stream's own.
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
  "cross-origin-opener-policy",
  "cross-origin-resource-policy",
  "permissions-policy",
];

function wire(answer: RawAnswer) {
  const requestId = answer.headers["x-request-id"];
  return {
    status: answer.status,
    headers: Object.fromEntries(comparedHeaders.map((name) => [name, answer.headers[name]])),
    requestId: typeof requestId === "string" && /^[0-9a-f-]{36}$/.test(requestId),
    body: answer.body,
  };
}

/** Waits (bounded) for a condition the test cannot be told about, checking once per turn of the event loop. */
function eventually(predicate: () => boolean, what: string): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const check = () => (predicate() ? resolve() : setImmediate(check));
      check();
    }),
    what,
  );
}

describe("the hand-written SSE endpoint of live.events", () => {
  it("SEC-1/SEC-6/SEC-7/MSG-2: writes byte for byte what tRPC's own SSE writes: refusals, invalid input, the connected and ready frames, the resume id", async () => {
    const { a } = cluster.world;
    const session = sessionHeaders(cluster.world.sessionOf(a.patient));
    const input = (value: string) => `/trpc/live.events?input=${encodeURIComponent(value)}`;
    const cases: [string, string, Record<string, string>][] = [
      ["no session", input("{}"), {}],
      ["no session, invalid input", input('{"junk":1}'), {}],
      ["no input", "/trpc/live.events", session],
      ["empty input", input("{}"), session],
      ["null input", input("null"), session],
      ["input not JSON", input("{oops"), session],
      ["bad lastEventId", input('{"lastEventId":"12; drop"}'), session],
      ["too long lastEventId", input(JSON.stringify({ lastEventId: "1".repeat(40) })), session],
      ["unknown key", input('{"junk":"PHI-marker"}'), session],
      ["a string", input('"abc"'), session],
      ["a number", input("5"), session],
      ["Last-Event-ID header", input("{}"), { ...session, "last-event-id": "3" }],
      ["bad Last-Event-ID header", input("{}"), { ...session, "last-event-id": "zz" }],
      ["lastEventId query parameter", "/trpc/live.events?lastEventId=4", session],
      ["header over input", input('{"lastEventId":"2"}'), { ...session, "last-event-id": "3" }],
      ["batched", `${input("{}")}&batch=1`, session],
    ];
    await Promise.all([sse.feed.readNow(), reference.feed.readNow()]);
    for (const [what, path, headers] of cases) {
      const [mine, theirs] = await Promise.all([
        rawStream(sse.url, path, headers),
        rawStream(reference.url, path, headers),
      ]);
      expect(wire(mine), what).toEqual(wire(theirs));
      expect(mine.body, what).not.toContain("PHI-marker");
    }
  });

  it("MSG-2: httpSubscriptionLink reads it: the started stream, tracked ids it resumes from, and a refusal as a TRPCClientError of its code", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(sse, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.otherPatient.id,
    });
    const tab = cluster.client(sse, a.otherPatient).subscribe();
    await tab.ready();
    const sent = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "wire-1",
      text: "Hello over SSE",
    });
    await tab.until((c) => c.of("message.posted").length === 1, "the message");
    const [ready] = tab.of("ready");
    const [posted] = tab.of("message.posted");
    expect(ready!.id).toMatch(/^\d+$/);
    expect(Number(posted!.id)).toBeGreaterThan(Number(ready!.id));
    expect(posted!.data).toMatchObject({ conversationId: conversation.id, message: { id: sent.id } });
    // Cut: the client reconnects with the id of the last event it had, and gets nothing twice.
    tab.control.cut();
    await tab.ready(2);
    expect(tab.control.lastEventIds).toEqual([null, posted!.id]);
    expect(tab.of("message.posted")).toHaveLength(1);
    expect(tab.errors).toEqual([]);
    tab.unsubscribe();

    const anonymous = cluster.client(sse, null).subscribe();
    await anonymous.until((c) => c.errors.length === 1, "the refusal");
    expect(anonymous.errors[0]!.data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
    expect(anonymous.errors[0]!.message).toBe("Your session has ended. Please sign in again.");

    const invalid = cluster.client(sse, a.otherPatient).subscribe("12; drop");
    await invalid.until((c) => c.errors.length === 1, "the refusal of the input");
    expect(invalid.errors[0]!.data).toMatchObject({
      code: "BAD_REQUEST",
      fields: [{ path: "lastEventId", problem: "invalid_format" }],
    });
    expect(invalid.received).toEqual([]);
  });

  it("SEC-2/SEC-3: per batch, each distinct session is checked once and each person reads a new message once, however many streams they have open", async () => {
    const { b } = cluster.world;
    const doctor = cluster.client(sse, b.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: b.patient.id,
    });
    // Everything so far is behind the feed's position, so the streams only see what comes next.
    await sse.feed.readNow();
    const patientTabs = [1, 2, 3].map(() => cluster.client(sse, b.patient).subscribe());
    const doctorTabs = [1, 2].map(() => cluster.client(sse, b.doctor).subscribe());
    const tabs = [...patientTabs, ...doctorTabs];
    await Promise.all(tabs.map((tab) => tab.ready()));
    const checks = (id: string) => cluster.sessionChecks.get(id) ?? 0;
    const reads = (id: string) => cluster.historyReads.get(id) ?? 0;
    const before = {
      patientChecks: checks(b.patient.id),
      doctorChecks: checks(b.doctor.id),
      patientReads: reads(b.patient.id),
      doctorReads: reads(b.doctor.id),
    };

    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "fan-1",
      text: "To every tab",
    });
    for (const tab of tabs) await tab.until((c) => c.of("message.posted").length === 1, "the message");

    expect({
      patientChecks: checks(b.patient.id) - before.patientChecks,
      doctorChecks: checks(b.doctor.id) - before.doctorChecks,
      patientReads: reads(b.patient.id) - before.patientReads,
      doctorReads: reads(b.doctor.id) - before.doctorReads,
    }).toEqual({ patientChecks: 1, doctorChecks: 1, patientReads: 1, doctorReads: 1 });
    // The same view reached every tab.
    const views = tabs.map((tab) => JSON.stringify(tab.of("message.posted")[0]));
    expect(new Set(views).size).toBe(1);
    for (const tab of tabs) tab.unsubscribe();
  });

  /** A `live.events` stream of `person` through the tRPC procedure, in process (no HTTP). */
  async function inProcessStream(person: Parameters<typeof cluster.world.sessionOf>[0]) {
    const controller = new AbortController();
    const caller = createCallerFactory(appRouter)(
      createContextInner({ deps: sse.deps, session: cluster.world.sessionOf(person) }),
      { signal: controller.signal },
    );
    const iterator = (await caller.live.events({}))[Symbol.asyncIterator]();
    return {
      async next(what: string) {
        const step = await within(iterator.next(), what);
        const [id, data] = step.value as unknown as [string, { type: string; message?: { body?: unknown } }];
        return { id, data };
      },
      async close() {
        controller.abort();
        await iterator.return?.(undefined);
        await eventually(() => sse.live.stats().subscribers === 0, "the in-process stream's removal");
      },
    };
  }

  it("MSG-2: the tRPC procedure still serves in-process callers from the same hub: ready, then the person's events, tracked", async () => {
    const { a } = cluster.world;
    const stream = await inProcessStream(a.admin);
    const ready = await stream.next("ready");
    expect(ready.id).toMatch(/^\d+$/);
    expect(ready.data).toEqual({ type: "ready" });
    await cluster.client(sse, a.admin).trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: true });
    const changed = await stream.next("the settings change");
    expect(changed.data).toMatchObject({ type: "clinic.entitlements_changed" });
    expect(Number(changed.id)).toBeGreaterThan(Number(ready.id));
    await stream.close();
  });

  it("MSG-2: in-process callers get messages whose text holds U+2028/U+2029 (JSON leaves them unescaped)", async () => {
    const { a } = cluster.world;
    const stream = await inProcessStream(a.admin);
    expect((await stream.next("ready")).data).toEqual({ type: "ready" });
    const nurse = cluster.client(sse, a.nurse).trpc;
    const { conversation } = await nurse.conversations.startTeam.mutate({ staffIds: [a.admin.id] });
    const text = "first line\u2028second\u2029third";
    await nurse.messages.send.mutate({ conversationId: conversation.id, clientId: "sep-1", text });
    let event = (await stream.next("the new conversation or the message")).data;
    while (event.type !== "message.posted") event = (await stream.next("the message")).data;
    expect(JSON.stringify(event.message?.body)).toContain(text);
    await stream.close();
  });

  it("MSG-2: closing the connection removes the stream from the hub at once", async () => {
    const { a } = cluster.world;
    await eventually(() => sse.live.stats().subscribers === 0, "no streams left from earlier tests");
    const tabs: LiveClient[] = [
      cluster.client(sse, a.nurse).subscribe(),
      cluster.client(sse, a.nurse).subscribe(),
    ];
    await Promise.all(tabs.map((tab) => tab.ready()));
    expect(sse.live.stats().subscribers).toBe(2);
    tabs[0]!.unsubscribe();
    await eventually(() => sse.live.stats().subscribers === 1, "the first stream's removal");
    tabs[1]!.unsubscribe();
    await eventually(() => sse.live.stats().subscribers === 0, "the second stream's removal");
    expect(sse.live.stats().buffered).toBe(0);
  });
});
