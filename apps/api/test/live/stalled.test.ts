import { type IncomingMessage, request } from "node:http";
import type { NewConversationEvent } from "@clinic-chat/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionHeaders } from "../support/sessions";
import { type LiveCluster, type LiveProcess, startLiveCluster, within } from "./support/liveCluster";

const maxBuffered = 64;
let cluster: LiveCluster;
let writer: LiveProcess;
let server: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster({ maxBuffered });
  writer = await cluster.startProcess("writer");
  server = await cluster.startProcess("server");
});
afterAll(async () => {
  await cluster?.close();
});

/** A raw SSE request whose reader the test can stop, as a stalled browser or a dead network would. */
function openRawStream(url: string, headers: Record<string, string>) {
  let text = "";
  let response!: IncomingMessage;
  const checks = new Set<() => void>();
  let ended = false;
  const opened = new Promise<void>((resolve, reject) => {
    const req = request(
      `${url}/trpc/live.events?input=${encodeURIComponent("{}")}`,
      { headers: { accept: "text/event-stream", ...headers } },
      (res) => {
        response = res;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
          for (const check of [...checks]) check();
        });
        res.on("end", () => {
          ended = true;
          for (const check of [...checks]) check();
        });
        resolve();
      },
    );
    req.on("error", reject);
    req.end();
  });
  return {
    opened,
    text: () => text,
    ended: () => ended,
    pause: () => response.pause(),
    resume: () => response.resume(),
    destroy: () => response.destroy(),
    until(predicate: () => boolean, what: string) {
      return within(
        new Promise<void>((resolve) => {
          const check = () => {
            if (!predicate()) return;
            checks.delete(check);
            resolve();
          };
          checks.add(check);
          check();
        }),
        what,
      );
    },
  };
}

/** Waits until no person's pipeline of the server is delivering. */
function untilDelivered(): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const check = () => (server.live.stats().delivering === 0 ? resolve() : setTimeout(check, 2));
      check();
    }),
    "the server's pipelines to finish",
  );
}

describe("back-pressure", () => {
  it("MSG-2: a stalled client is dropped once it falls a bounded buffer behind, and nothing of it stays in memory; it is told to reconnect, and resumes from its last id with every event once", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(writer, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    // One long message, which every event below announces again: each costs ~4 KB on the wire.
    const message = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "long",
      text: "x".repeat(4000),
    });

    // Opened at a position past the conversation's first events, so what it receives is the test's.
    await server.feed.readNow();
    const stalled = openRawStream(server.url, sessionHeaders(cluster.world.sessionOf(a.patient)));
    await within(stalled.opened, "the stream to open");
    await stalled.until(() => stalled.text().includes('"type":"ready"'), "ready");
    stalled.pause();
    expect(server.live.stats().subscribers).toBe(1);

    const event: NewConversationEvent = {
      clinicId: a.clinicId,
      conversationId: conversation.id,
      type: "message.posted",
      messageId: message.id,
      person: { kind: "staff", id: a.doctor.id },
      seq: message.seq,
      at: new Date(),
    };
    let appended = 0;
    // Bounded: the socket's buffers take a few MB at most, far less than this.
    for (let round = 0; round < 400 && server.live.stats().dropped === 0; round++) {
      await writer.uow.run(a.clinicId, (stores) =>
        stores.events.append(Array.from({ length: 20 }, () => event)),
      );
      appended += 20;
      await server.feed.readNow();
      // Each round is delivered before the next is appended: this test is about the buffer, not
      // about a pipeline that falls behind (the next test).
      await untilDelivered();
      const stats = server.live.stats();
      expect(stats.buffered).toBeLessThanOrEqual(maxBuffered);
    }

    const stats = server.live.stats();
    expect(stats.dropped).toBe(1);
    expect(stats.subscribers).toBe(0);
    expect(stats.buffered).toBe(0);
    expect(stats.maxBufferedSeen).toBeLessThanOrEqual(maxBuffered);
    expect(appended).toBeGreaterThan(maxBuffered);

    // Reading again, the client gets what was already on its way, then the request to reconnect.
    stalled.resume();
    await stalled.until(() => stalled.ended(), "the end of the dropped stream");
    const body = stalled.text();
    expect(body).toContain("event: serialized-error");
    expect(body).toContain('"code":"SERVICE_UNAVAILABLE"');
    const ids = [...body.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.length).toBeLessThan(appended);

    // It reconnects with the last id it got: the rest of the events, each once, in order.
    const lastId = String(ids.at(-1));
    await server.feed.readNow();
    const resumed = openRawStream(server.url, {
      ...sessionHeaders(cluster.world.sessionOf(a.patient)),
      "last-event-id": lastId,
    });
    await within(resumed.opened, "the resumed stream to open");
    await resumed.until(() => resumed.text().includes('"type":"ready"'), "the resumed stream's ready");
    const resumedIds = [...resumed.text().matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    const readyId = resumedIds.pop();
    const logged = await cluster.database.owner
      .selectFrom("conversation_events")
      .select("id")
      .where("conversation_id", "=", conversation.id)
      .orderBy("id")
      .execute();
    const missed = logged.map((row) => Number(row.id)).filter((id) => id > Number(lastId));
    expect(missed.length).toBeGreaterThan(0);
    expect(resumedIds).toEqual(missed);
    expect(readyId).toBe(missed.at(-1));
    resumed.destroy();
  });

  it("MSG-2: a person whose pipeline is stuck on a read that does not answer is dropped once a bounded number of events wait for them, and resumes after", async () => {
    const { b } = cluster.world;
    const doctor = cluster.client(writer, b.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: b.patient.id,
    });
    await server.feed.readNow();
    const tab = cluster.client(server, b.patient).subscribe();
    await tab.ready();
    const droppedBefore = server.live.stats().dropped;
    const release = cluster.holdReads(b.patient);
    const first = await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "stuck-1",
      text: "held",
    });
    const event: NewConversationEvent = {
      clinicId: b.clinicId,
      conversationId: conversation.id,
      type: "message.posted",
      messageId: first.id,
      person: { kind: "staff", id: b.doctor.id },
      seq: first.seq,
      at: new Date(),
    };
    for (let round = 0; round < 40 && server.live.stats().dropped === droppedBefore; round++) {
      await writer.uow.run(b.clinicId, (stores) =>
        stores.events.append(Array.from({ length: 20 }, () => event)),
      );
      await server.feed.readNow();
    }
    expect(server.live.stats().dropped).toBe(droppedBefore + 1);
    expect(server.live.stats().subscribers).toBe(0);
    // Told to reconnect (retryable): the client does so by itself, and gets what it missed once reads answer.
    release();
    await tab.until(
      (c) => c.of("message.posted").length >= 1 && c.of("ready").length >= 2,
      "the resumed stream",
    );
    expect(tab.errors).toEqual([]);
    const ids = tab.received.filter((r) => r.data.type !== "ready").map((r) => Number(r.id));
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    tab.unsubscribe();
  });
});
