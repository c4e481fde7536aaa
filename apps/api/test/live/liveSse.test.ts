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
import { expectStreamHeaders, framesOf, rawStream } from "./support/sseWire";

let cluster: LiveCluster;
/** The product path: live.events over the hand-written SSE endpoint. */
let sse: LiveProcess;
/** The same process without it, so tRPC's own SSE serves live.events (from the in-process generator). */
let reference: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster();
  sse = await cluster.startProcess("sse");
  reference = await cluster.startProcess("trpc", 0, { sse: false });
});
afterAll(async () => {
  await cluster?.close();
});

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
  it("SEC-1/SEC-6/SEC-7/MSG-2: speaks tRPC's SSE protocol: refusals as a serialized-error frame of their code, the ready frame with its id, the resume id from the header, the query or the input", async () => {
    const { a } = cluster.world;
    const session = sessionHeaders(cluster.world.sessionOf(a.patient));
    const input = (value: string) => `/trpc/live.events?input=${encodeURIComponent(value)}`;
    type Expected = { error: string; fields?: string[] } | { resumesAs: string | null };
    const cases: [string, string, Record<string, string>, Expected][] = [
      ["no session", input("{}"), {}, { error: "UNAUTHORIZED" }],
      // The session is checked before the input is read.
      ["no session, invalid input", input('{"junk":1}'), {}, { error: "UNAUTHORIZED" }],
      ["no input", "/trpc/live.events", session, { resumesAs: null }],
      ["empty input", input("{}"), session, { resumesAs: null }],
      ["null input", input("null"), session, { resumesAs: null }],
      ["input not JSON", input("{oops"), session, { error: "BAD_REQUEST" }],
      [
        "bad lastEventId",
        input('{"lastEventId":"12; drop"}'),
        session,
        { error: "BAD_REQUEST", fields: ["lastEventId"] },
      ],
      [
        "too long lastEventId",
        input(JSON.stringify({ lastEventId: "1".repeat(40) })),
        session,
        { error: "BAD_REQUEST", fields: ["lastEventId"] },
      ],
      ["unknown key", input('{"junk":"PHI-marker"}'), session, { error: "BAD_REQUEST", fields: ["junk"] }],
      ["a string", input('"abc"'), session, { error: "BAD_REQUEST" }],
      ["a number", input("5"), session, { error: "BAD_REQUEST" }],
      ["Last-Event-ID header", input("{}"), { ...session, "last-event-id": "3" }, { resumesAs: "3" }],
      [
        "bad Last-Event-ID header",
        input("{}"),
        { ...session, "last-event-id": "zz" },
        { error: "BAD_REQUEST", fields: ["lastEventId"] },
      ],
      ["lastEventId query parameter", "/trpc/live.events?lastEventId=4", session, { resumesAs: "4" }],
      [
        "header over input",
        input('{"lastEventId":"2"}'),
        { ...session, "last-event-id": "3" },
        { resumesAs: "3" },
      ],
    ];
    await sse.feed.readNow();
    // What a stream resuming after `id` (given as its input) replays, which the other ways of saying it must match.
    const resumed = async (id: string | null) =>
      framesOf(
        await rawStream(sse.url, id ? input(JSON.stringify({ lastEventId: id })) : input("{}"), session),
      );
    for (const [what, path, headers, expected] of cases) {
      const answer = await rawStream(sse.url, path, headers);
      expectStreamHeaders(answer, what);
      expect(answer.body, what).not.toContain("PHI-marker");
      const frames = framesOf(answer);
      if ("error" in expected) {
        expect(frames, what).toHaveLength(1);
        expect(frames[0]!.event, what).toBe("serialized-error");
        expect(frames[0]!.data, what).toMatchObject({ data: { code: expected.error } });
        if (expected.fields) {
          const fields = (frames[0]!.data as { data: { fields: { path: string }[] } }).data.fields;
          expect(
            fields.map((f) => f.path),
            what,
          ).toEqual(expected.fields);
        }
        continue;
      }
      const last = frames.at(-1)!;
      expect(last.data, what).toEqual({ type: "ready" });
      expect(last.id, what).toMatch(/^\d+$/);
      for (const frame of frames) expect(frame.event, what).toBeNull();
      expect(frames, what).toEqual(await resumed(expected.resumesAs));
    }

    // A batched subscription is refused as a whole, in JSON, as tRPC refuses one.
    const batched = await rawStream(sse.url, `${input("{}")}&batch=1`, session);
    expect(batched.status).toBe(400);
    expect(batched.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(batched.body)).toMatchObject([{ error: { data: { code: "BAD_REQUEST" } } }]);
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

  it("MSG-2: a client that subscribes with a lastEventId gets what came after it, then ready", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(sse, a.doctor);
    const first = cluster.client(sse, a.doctor).subscribe();
    await first.ready();
    const since = first.of("ready")[0]!.id;
    first.unsubscribe();
    const { conversation } = await doctor.trpc.conversations.startTeam.mutate({ staffIds: [a.nurse.id] });
    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "resume-1",
      text: "While away",
    });
    await sse.feed.readNow();
    const back = cluster.client(sse, a.doctor).subscribe(since);
    await back.ready();
    const ids = back.received.map((r) => Number(r.id));
    expect(ids.every((id) => id > Number(since))).toBe(true);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(back.of("message.posted").map((r) => r.data.conversationId)).toEqual([conversation.id]);
    expect(back.received.at(-1)!.data).toEqual({ type: "ready" });
    back.unsubscribe();
  });

  it("MSG-2: without the endpoint, tRPC's own SSE serves the procedure from the same hub, read by httpSubscriptionLink", async () => {
    const { a } = cluster.world;
    await reference.feed.readNow();
    const tab = cluster.client(reference, a.nurse).subscribe();
    await tab.ready();
    await cluster
      .client(reference, a.admin)
      .trpc.clinic.changeSettings.mutate({ smsNotificationsEnabled: false });
    await tab.until((c) => c.of("clinic.entitlements_changed").length === 1, "the settings change");
    const [ready] = tab.of("ready");
    const [changed] = tab.of("clinic.entitlements_changed");
    expect(Number(changed!.id)).toBeGreaterThan(Number(ready!.id));
    // Dates cross the wire as ISO strings.
    expect(changed!.data.at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    tab.unsubscribe();
    const anonymous = cluster.client(reference, null).subscribe();
    await anonymous.until((c) => c.errors.length === 1, "the refusal");
    expect(anonymous.errors[0]!.data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
    anonymous.unsubscribe();
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
    // The hub's values themselves, not text parsed back: the date is still a Date.
    expect((changed.data as { at?: unknown }).at).toBeInstanceOf(Date);
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
