import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LiveCluster, type LiveProcess, startLiveCluster } from "./support/liveCluster";

let cluster: LiveCluster;
let one: LiveProcess;
let two: LiveProcess;

beforeAll(async () => {
  cluster = await startLiveCluster();
  one = await cluster.startProcess("one");
  two = await cluster.startProcess("two");
});
afterAll(async () => {
  await cluster?.close();
});

describe("the inbox live across two API processes", () => {
  it("INBOX-2, MSG-2: a claim through one process reaches the other's staff, not the patient; a close missed while dropped arrives on reconnect, once, in order", async () => {
    const { a } = cluster.world;
    const doctor = cluster.client(one, a.doctor);
    const { conversation } = await doctor.trpc.conversations.startWithPatient.mutate({
      patientId: a.patient.id,
    });
    const conversationId = conversation.id;
    await doctor.trpc.conversations.addParticipant.mutate({ conversationId, staffId: a.nurse.id });
    const nurseTab = cluster.client(two, a.nurse).subscribe();
    const patient = cluster.client(two, a.patient);
    const patientTab = cluster.client(two, a.patient).subscribe();
    await Promise.all([nurseTab.ready(), patientTab.ready()]);

    await patient.trpc.messages.send.mutate({
      conversationId,
      clientId: "p-1",
      text: "Could I get a refill?",
    });
    await doctor.trpc.inbox.claim.mutate({ conversationId });
    await nurseTab.until((c) => c.of("inbox.changed").length === 1, "the claim on process two");
    expect(nurseTab.of("inbox.changed")[0]!.data).toMatchObject({
      conversationId,
      by: { kind: "staff", id: a.doctor.id },
    });
    const nurse = cluster.client(two, a.nurse);
    const open = await nurse.trpc.inbox.list.query({ view: "open", limit: 10 });
    expect(open.items.map((r) => [r.conversationId, r.assigneeId])).toEqual([[conversationId, a.doctor.id]]);

    // The nurse's stream drops; the doctor closes the conversation meanwhile.
    const lastBeforeDrop = nurseTab.received.at(-1)!.id;
    nurseTab.control.holdReconnects();
    nurseTab.control.cut();
    await doctor.trpc.inbox.close.mutate({ conversationId });
    expect(nurseTab.of("inbox.changed")).toHaveLength(1);
    nurseTab.control.releaseReconnects();
    await nurseTab.until((c) => c.of("inbox.changed").length === 2, "the missed close");
    await nurseTab.ready(2);
    expect(nurseTab.control.lastEventIds).toEqual([null, lastBeforeDrop]);
    const ids = nurseTab.received.filter((r) => r.data.type !== "ready").map((r) => Number(r.id));
    expect(ids).toEqual([...new Set(ids)].sort((x, y) => x - y));
    expect((await nurse.trpc.inbox.list.query({ view: "closed", limit: 10 })).counts.closed).toBe(1);

    // The patient saw their own message, never the clinic's inbox changes.
    await patientTab.until((c) => c.of("message.posted").length === 1, "the patient's own message");
    expect(patientTab.of("inbox.changed")).toEqual([]);
    for (const tab of [nurseTab, patientTab]) tab.unsubscribe();
  });
});
