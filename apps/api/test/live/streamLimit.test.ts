import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveCluster, type LiveProcess, startLiveCluster, within } from "./support/liveCluster";

// A small limit, so the test opens a few streams rather than the product's default.
const perSession = 3;
let cluster: LiveCluster;
let server: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster({ streamsPerSession: perSession });
  server = await cluster.startProcess("server");
});
afterAll(async () => {
  await cluster?.close();
});

describe("live streams per session", () => {
  it("OPS-1: a session past its limit of live streams is refused a new one with TOO_MANY_REQUESTS and a sentence; its open streams carry on and closing one frees a place", async () => {
    const { a } = cluster.world;
    const tabs = Array.from({ length: perSession }, () => cluster.client(server, a.doctor).subscribe());
    await Promise.all(tabs.map((tab) => tab.ready()));

    const refused = cluster.client(server, a.doctor).subscribe();
    await refused.until((c) => c.errors.length === 1, "the refusal of one stream too many");
    expect(refused.errors[0]!.data).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      domainCode: "TOO_MANY_STREAMS",
    });
    expect(refused.errors[0]!.message).toBe(
      "This account has too many live windows open (at most 3). Close some tabs or windows of Clinic Chat, then reload this one.",
    );
    expect(refused.of("ready")).toEqual([]);
    expect(server.live.stats().subscribers).toBe(perSession);

    // Another person's session has places of its own.
    const patientTab = cluster.client(server, a.patient).subscribe();
    await patientTab.ready();

    // The open streams still receive what happens.
    const doctor = cluster.client(server, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    await doctor.trpc.messages.send.mutate({
      conversationId: conversation.id,
      clientId: "limit-1",
      text: "Your appointment is confirmed",
    });
    for (const tab of [...tabs, patientTab])
      await tab.until((c) => c.of("message.posted").length === 1, "the message on an open stream");
    expect(tabs.every((tab) => tab.errors.length === 0)).toBe(true);

    // Closing one frees its place for a new stream.
    tabs[0]!.unsubscribe();
    const stats = () => server.live.stats().subscribers;
    await within(
      (async () => {
        while (stats() > perSession) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      "the closed stream's place",
    );
    const again = cluster.client(server, a.doctor).subscribe();
    await again.ready();
    expect(again.errors).toEqual([]);
  });
});
