import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionHeaders } from "../support/sessions";
import { type LiveCluster, type LiveProcess, startLiveCluster, within } from "./support/liveCluster";

// OPS-5 / MSG-2: a stream that fails mid-way ends with a code the client retries; the database out
// of reach (restarting, failing over) is SERVICE_UNAVAILABLE, as a procedure's answer would be.

let cluster: LiveCluster;
let writer: LiveProcess;
let server: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster();
  writer = await cluster.startProcess("writer");
  server = await cluster.startProcess("server");
});
afterAll(async () => {
  await cluster?.close();
});

/** A raw stream of live.events: its text so far, and a promise of the whole text once it ends. */
function openRaw(url: string, headers: Record<string, string>) {
  let text = "";
  const ended = new Promise<string>((resolve, reject) => {
    const req = request(
      `${url}/trpc/live.events?input=${encodeURIComponent("{}")}`,
      { headers: { accept: "text/event-stream", ...headers } },
      (res) => {
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve(text));
      },
    );
    req.on("error", reject);
    req.end();
  });
  return { text: () => text, ended };
}

/** The error shape's code of the stream's last frame, a serialized-error. */
function endingCode(text: string): string {
  const match = /event: serialized-error\ndata: (.*)\n\n\n$/.exec(text);
  if (!match) throw new Error("the stream did not end with an error frame");
  return (JSON.parse(match[1]!) as { data: { code: string } }).data.code;
}

/** The error a client of a server that is not listening meets: Node's own, as the driver hands it on. */
function refusedConnection(): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect(1, "127.0.0.1");
    socket.on("error", resolve);
  });
}

describe("a stream that fails", () => {
  const cases: [string, () => Promise<Error>, string, string][] = [
    ["the database out of reach", refusedConnection, "SERVICE_UNAVAILABLE", "live stream unavailable"],
    ["anything else", async () => new Error("boom"), "INTERNAL_SERVER_ERROR", "live stream failed"],
  ];
  for (const [what, makeError, code, logLine] of cases)
    it(`OPS-5/MSG-2: ${what} ends it with ${code}, logged without content, and the client resumes`, async () => {
      const { b } = cluster.world;
      const doctor = cluster.client(writer, b.doctor);
      const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
        patientId: b.patient.id,
      });
      await server.feed.readNow();
      const tab = openRaw(server.url, sessionHeaders(cluster.world.sessionOf(b.patient)));
      await within(
        new Promise<void>((resolve) => {
          const check = () => (tab.text().includes('"type":"ready"') ? resolve() : setTimeout(check, 5));
          check();
        }),
        "the ready frame",
      );
      const error = await makeError();
      const restore = cluster.failReads(b.patient, error);
      const logsBefore = server.logs.length;
      const text = `PHI-marker ${code}`;
      await doctor.trpc.messages.send.mutate({
        conversationId: conversation.id,
        clientId: `fail-${code}`,
        text,
      });
      await server.feed.readNow();
      const body = await within(tab.ended, "the stream's end");
      restore();
      expect(endingCode(body)).toBe(code);
      expect(body).not.toContain("PHI-marker");
      const logged = server.logs.slice(logsBefore).join("");
      expect(logged).toContain(logLine);
      expect(logged).not.toContain("PHI-marker");
      // Reads answer again: the same person's new stream opens and is caught up.
      const again = await within(
        new Promise<string>((resolve) => {
          const next = openRaw(server.url, sessionHeaders(cluster.world.sessionOf(b.patient)));
          const check = () =>
            next.text().includes('"type":"ready"') ? resolve(next.text()) : setTimeout(check, 5);
          check();
        }),
        "the resumed stream",
      );
      expect(again).toContain('"type":"ready"');
    });
});
