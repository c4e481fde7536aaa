import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionHeaders } from "../support/sessions";
import { type LiveCluster, type LiveProcess, startLiveCluster, within } from "./support/liveCluster";

// The live stream's heartbeat (MSG-2): a link cut without a reset (a dead machine, a partition)
// is silence, never an end, so the server pings every stream and the client (tRPC's
// httpSubscriptionLink, as the web app uses it) takes twice that of silence for a lost link.

const heartbeatMs = 500;
let cluster: LiveCluster;
let server: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster({ heartbeatMs });
  server = await cluster.startProcess("server");
});
afterAll(async () => {
  await cluster?.close();
});

/** Reads a raw stream until `ms` after its ready frame, then cuts it. */
function readFor(path: string, headers: Record<string, string>, ms: number): Promise<string> {
  return within(
    new Promise<string>((resolve, reject) => {
      const req = request(
        `${server.url}${path}`,
        { headers: { accept: "text/event-stream", ...headers } },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            const first = !body.includes('"type":"ready"');
            body += chunk;
            if (first && body.includes('"type":"ready"'))
              setTimeout(() => {
                resolve(body);
                res.destroy();
              }, ms);
          });
          res.on("end", () => resolve(body));
        },
      );
      req.on("error", reject);
      req.end();
    }),
    "the raw stream",
  );
}

describe("the live stream's heartbeat", () => {
  it("MSG-2: the connected frame tells the client to reconnect after twice the heartbeat of silence, and every stream hears a ping each heartbeat", async () => {
    const session = sessionHeaders(cluster.world.sessionOf(cluster.world.a.patient));
    const body = await readFor("/trpc/live.events", session, 4 * heartbeatMs);
    expect(
      body.startsWith(`event: connected\ndata: {"reconnectAfterInactivityMs":${2 * heartbeatMs}}\n\n\n`),
    ).toBe(true);
    const afterReady = body.slice(body.indexOf('"type":"ready"'));
    const pings = afterReady.split("event: ping\ndata: \n\n\n").length - 1;
    // One timer for all streams: the first ping comes within one interval of the stream opening.
    expect(pings).toBeGreaterThanOrEqual(2);
    // Pings sit between frames, never inside one.
    expect(body.replaceAll("event: ping\ndata: \n\n\n", "")).not.toContain("event: ping");
  });

  it("MSG-2: httpSubscriptionLink takes silence for a lost link: it reconnects with its last event id and gets what it missed, once", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(server, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.otherPatient.id,
    });
    const tab = cluster.client(server, a.otherPatient).subscribe();
    await tab.ready();
    const first = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "heartbeat-1",
      text: "Before the silence",
    });
    await tab.until((c) => c.of("message.posted").length === 1, "the first message");
    // Quiet streams stay up: pings keep the link's inactivity timer from firing.
    await new Promise((resolve) => setTimeout(resolve, 3 * heartbeatMs));
    expect(tab.control.connects).toBe(1);

    // The link goes silent: the next message is written to a connection that no longer delivers.
    tab.control.silence();
    const second = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "heartbeat-2",
      text: "During the silence",
    });
    await server.feed.readNow();
    await tab.ready(2);
    await tab.until((c) => c.of("message.posted").length === 2, "the missed message, replayed");
    expect(tab.control.connects).toBeGreaterThanOrEqual(2);
    expect(tab.of("message.posted").map((r) => (r.data as { message: { id: string } }).message.id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(tab.errors).toEqual([]);
    tab.unsubscribe();
  });
  it("MSG-2: a stream whose person's pipeline waits on a read that does not answer for twice the heartbeat is told to reconnect, and resumes with what it missed, once", async () => {
    const { b } = cluster.world;
    const doctor = cluster.client(server, b.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: b.patient.id,
    });
    await server.feed.readNow();
    const tab = cluster.client(server, b.patient).subscribe();
    await tab.ready();
    const droppedBefore = server.live.stats().dropped;
    const release = cluster.holdReads(b.patient);
    const held = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "held-read",
      text: "Read held back",
    });
    await server.feed.readNow();
    // One event only: far below the count that drops a person whose pipeline is stuck.
    await within(
      new Promise<void>((resolve) => {
        const check = () => (server.live.stats().dropped > droppedBefore ? resolve() : setTimeout(check, 20));
        check();
      }),
      "the stalled stream to be dropped",
      10 * heartbeatMs,
    );
    expect(server.live.stats().dropped).toBe(droppedBefore + 1);
    release();
    await tab.ready(2);
    await tab.until((c) => c.of("message.posted").length === 1, "the held message, replayed");
    expect(tab.of("message.posted").map((r) => (r.data as { message: { id: string } }).message.id)).toEqual([
      held.id,
    ]);
    expect(tab.errors).toEqual([]);
    tab.unsubscribe();
  });
});
